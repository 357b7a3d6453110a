"""Response headers that keep pages from being framed, sniffed or injected into."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "worker-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob: {s3}",
        "media-src 'self' blob: {s3}",
        "connect-src 'self' {s3}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# JSON, playlists, VTT, CSV: opened directly they run nothing and reach nothing.
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def init_app(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:  # behind a reverse proxy, the client's address (for rate limits) is forwarded
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    s3 = app.config["S3_PUBLIC_ENDPOINT_URL"] or app.config["S3_ENDPOINT_URL"]
    csp = CSP.format(s3=s3)
    production = app.config["DEBRIEF_ENV"] == "production"

    @app.after_request
    def _headers(response):
        is_page = response.mimetype == "text/html"
        response.headers.setdefault("Content-Security-Policy", csp if is_page else DATA_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        if production:  # production is served over HTTPS only (its cookies are Secure)
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response
