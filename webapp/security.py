"""Response headers that keep pages from being framed, sniffed or injected into."""

from flask import Flask

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
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


def init_app(app: Flask) -> None:
    s3 = app.config["S3_PUBLIC_ENDPOINT_URL"] or app.config["S3_ENDPOINT_URL"]
    csp = CSP.format(s3=s3)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response
