//! Who may ask: a request must name the server in `Host`, and the live-reload
//! socket opens only for the server's own pages (`Origin`), so a DNS-rebinding
//! page elsewhere gets a refusal.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::Response;

use super::hosts::Names;
use super::state::{SANDBOX_POLICY, Shared, asset};

/// Every request passes here first: one not addressed to this server by
/// name is refused before any handler sees it. Every response leaves with
/// `nosniff`, and, unless it is a page (which carries its own policy), the
/// sandbox policy.
pub(super) async fn guard_and_mark(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = match addressed_here(&shared.names, &request) {
        Ok(()) => next.run(request).await,
        Err((status, why)) => refusal(status, why),
    };
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    let page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !page {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(SANDBOX_POLICY));
    }
    response
}

/// Why a request is refused: its status and a short explanation.
pub(super) type Refused = (StatusCode, &'static str);

/// Whether a request names this server: exactly one `Host` (HTTP/1.1
/// requires it; HTTP/1.0 may omit it) naming it, and no request target
/// naming another.
pub(super) fn addressed_here(names: &Names, request: &Request) -> std::result::Result<(), Refused> {
    const MISDIRECTED: Refused = (
        StatusCode::MISDIRECTED_REQUEST,
        "pm serve answers only requests for localhost, 127.0.0.1, [::1] or the address it listens on\n",
    );
    let mut hosts = request.headers().get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => {
            if !host.to_str().is_ok_and(|host| names.allows_host(host)) {
                return Err(MISDIRECTED);
            }
        }
        (None, _) if request.version() < Version::HTTP_11 => {}
        (None, _) => {
            return Err((
                StatusCode::BAD_REQUEST,
                "pm serve: an HTTP/1.1 request needs a Host header\n",
            ));
        }
        (Some(_), Some(_)) => {
            return Err((
                StatusCode::BAD_REQUEST,
                "pm serve: a request may have only one Host header\n",
            ));
        }
    }
    match request.uri().authority() {
        Some(authority) if !names.allows_host(authority.as_str()) => Err(MISDIRECTED),
        _ => Ok(()),
    }
}

/// A short plain-text answer to a request pm serve will not serve.
pub(super) fn refusal(status: StatusCode, why: &'static str) -> Response {
    let mut response = asset(why, "text/plain; charset=utf-8");
    *response.status_mut() = status;
    response
}
