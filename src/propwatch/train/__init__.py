"""Training, export and calibration of the technique model (``pip install propwatch[train]``).

Nothing here is imported by inference: ``propwatch analyze`` runs on onnxruntime alone.
"""
