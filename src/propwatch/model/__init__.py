"""The technique model: tokenisation with offsets, windows, ONNX inference and decoding."""
