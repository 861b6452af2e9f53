"""Fetch an article from a URL without letting the server be turned against its own network.

A URL typed into a web page is a request the *server* makes, so it must not reach what only the
server can reach (a metadata service, a database admin page on loopback, the office network).
Every address the host resolves to is checked, the connection then goes to that checked address
itself (so a second DNS answer cannot swap in another one), every redirect is checked the same
way, and time and size are capped. ``allow_private`` lifts the address check, for a server run
on a trusted network or for tests against a local server.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass

import httpx

from propwatch.document import Document
from propwatch.readers import InputError, check_english, decode, html_to_text

FETCH_MAX_BYTES = 5_000_000
"""Largest page downloaded: HTML is several times its visible text, and news pages are far below this."""
TIMEOUT_S = 10.0
"""Limit for connecting and for each read, and for the whole download including redirects."""
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "propwatch (article analysis)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(InputError):
    """A URL that cannot or may not be fetched: a one-line message naming it and the reason."""


@dataclass(frozen=True)
class Page:
    """A downloaded page: the final URL after redirects, its media type and charset, the bytes."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


def blocked_reason(ip: IPAddress) -> str | None:
    """Why an address is off limits for server-side fetching, or None if it is a public address.

    IPv4 addresses wrapped in IPv6 (mapped ``::ffff:a.b.c.d`` and 6to4 ``2002::/16``) are judged
    by the IPv4 address inside, since that is where the packets end up.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            return blocked_reason(inner)
    for reason, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return reason
    return None if ip.is_global else "non-public"


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"{host}: host name cannot be resolved") from None
    found = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    return found


def checked_address(url: httpx.URL, allow_private: bool) -> IPAddress:
    """The address to connect to for ``url``, after refusing bad schemes and non-public hosts."""
    if url.scheme not in ("http", "https"):
        raise FetchError(f"{_short(url)}: only http and https URLs can be fetched")
    if not url.host:
        raise FetchError(f"{_short(url)}: URL has no host")
    if url.userinfo:
        raise FetchError(f"{url.host}: URLs with a user name or password are not fetched")
    addresses = resolve(url.raw_host.decode("ascii"), url.port or (443 if url.scheme == "https" else 80))
    if not allow_private:
        for ip in addresses:
            reason = blocked_reason(ip)
            if reason:
                raise FetchError(
                    f"{_short(url)}: refused, {url.host} resolves to {reason} address {ip}; this server only "
                    "fetches public web pages, so paste the article's text or upload its file instead"
                )
    return addresses[0]


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT_S,
    max_bytes: int = FETCH_MAX_BYTES,
) -> Page:
    """Download an HTML or text page, checking the address of the first request and every redirect."""
    try:
        current = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError):
        raise FetchError(f"{_short(url)}: not a valid URL") from None
    deadline = time.monotonic() + timeout
    with httpx.Client(
        timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False, headers={"User-Agent": USER_AGENT}
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            ip = checked_address(current, allow_private)
            page, location = _get_pinned(client, current, ip, deadline, max_bytes)
            if page is not None:
                return page
            current = current.join(location)
    raise FetchError(f"{_short(url)}: more than {MAX_REDIRECTS} redirects")


def _get_pinned(
    client: httpx.Client, url: httpx.URL, ip: IPAddress, deadline: float, max_bytes: int
) -> tuple[Page | None, str]:
    """One GET sent to the checked address ``ip``: the page, or None and a redirect's location.

    The Host header and (for https) the TLS server name stay the URL's own, so virtual hosting
    and certificate checks work as if the name had been looked up by the client itself.
    """
    extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
    headers = {"Host": url.netloc.decode("ascii")}
    try:
        with client.stream("GET", url.copy_with(host=str(ip)), headers=headers, extensions=extensions) as resp:
            if resp.is_redirect:
                return None, resp.headers.get("location", "")
            if resp.status_code != 200:
                raise FetchError(f"{_short(url)}: the server answered {resp.status_code} {resp.reason_phrase}")
            media_type = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type not in (*HTML_TYPES, "text/plain"):
                raise FetchError(f"{_short(url)}: not an HTML or text page ({media_type or 'no content type'})")
            body = _read_capped(resp, url, deadline, max_bytes)
            return Page(str(url), media_type, resp.charset_encoding, body), ""
    except httpx.TimeoutException:
        raise FetchError(f"{_short(url)}: timed out") from None
    except httpx.HTTPError as err:
        raise FetchError(f"{_short(url)}: could not be fetched ({type(err).__name__})") from None


def _read_capped(resp: httpx.Response, url: httpx.URL, deadline: float, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes ``max_bytes`` or the overall deadline."""
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{_short(url)}: page of {int(declared):,} bytes is over the {max_bytes:,}-byte limit")
    chunks, total = [], 0
    for chunk in resp.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"{_short(url)}: page is over the {max_bytes:,}-byte limit")
        if time.monotonic() > deadline:
            raise FetchError(f"{_short(url)}: timed out")
        chunks.append(chunk)
    return b"".join(chunks)


def page_to_document(page: Page, *, any_language: bool = False) -> Document:
    """The article in a page: trafilatura's main-text extraction for HTML, the text itself otherwise.

    Falls back to all visible text when trafilatura finds no main text, so a page is refused only
    when it really has no text.
    """
    host = httpx.URL(page.url).host or None
    if page.content_type == "text/plain":
        text, title, outlet, published = _page_text(page), None, host, None
    else:
        text, title, outlet, published = _extract_html(page)
        outlet = outlet or host
    if not text.strip():
        raise FetchError(f"{_short(page.url)}: page has no article text")
    if not any_language:
        check_english(text, _short(page.url))
    return Document(text=text, title=title, outlet=outlet, published=published, url=page.url)


def _page_text(page: Page) -> str:
    """Decode with the declared charset, else as UTF-8 with the readers' clear refusal."""
    if page.charset:
        try:
            return page.body.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(page.body, _short(page.url))


def _extract_html(page: Page) -> tuple[str, str | None, str | None, str | None]:
    """Text, title, site name and date of an HTML page."""
    import trafilatura  # slow to import; only URL analysis needs it

    found = trafilatura.bare_extraction(
        page.body, url=page.url, with_metadata=True, include_comments=False, include_tables=False
    )
    if found is not None and found.text and found.text.strip():
        return found.text, found.title, found.sitename, found.date
    text, title = html_to_text(_page_text(page))
    return text, title, None, None


def fetch_document(url: str, *, allow_private: bool = False, any_language: bool = False) -> Document:
    """Download ``url`` safely and make a :class:`Document` of its article text."""
    return page_to_document(fetch(url, allow_private=allow_private), any_language=any_language)


def _short(url: object) -> str:
    """A URL cut to a length that keeps error messages to one readable line."""
    text = str(url)
    return text if len(text) <= 120 else text[:117] + "..."
