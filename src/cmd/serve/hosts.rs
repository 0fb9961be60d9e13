//! The names the server answers as: `localhost`, loopback addresses and the
//! interface it listens on, with the port; how a `Host` or `Origin` names one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The names a request may address the server by, and its port. A page
/// that rebinds its own DNS name to 127.0.0.1 still sends that name as
/// `Host` (and `Origin`), so refusing every other name keeps such a page
/// from reading the preview, drafts included.
#[derive(Debug, Clone, Copy)]
pub(super) struct Names {
    /// The address listened on (`--interface`).
    pub(super) interface: IpAddr,
    /// The port listened on.
    pub(super) port: u16,
}

impl Names {
    /// Whether a `Host` header (or a request target's authority) names this
    /// server: `localhost`, `127.0.0.1`, `[::1]` or the interface's address,
    /// in any case, with this server's port or none. Listening on every
    /// interface, any IP address is accepted: a page cannot rebind a bare
    /// address, only a name.
    pub(super) fn allows_host(&self, host: &str) -> bool {
        split_authority(host).is_some_and(|(name, port)| {
            port.is_none_or(|port| port == self.port) && self.allows_name(name)
        })
    }

    /// Whether an `Origin` is this server's own: `http://` and an allowed
    /// name with this server's port (the scheme's 80 when none is given).
    pub(super) fn allows_origin(&self, origin: &str) -> bool {
        let Some(authority) = origin
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case("http://"))
            .and_then(|_| origin.get(7..))
        else {
            return false;
        };
        split_authority(authority)
            .is_some_and(|(name, port)| port.unwrap_or(80) == self.port && self.allows_name(name))
    }

    pub(super) fn allows_name(&self, name: &str) -> bool {
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
            None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        };
        ip.is_some_and(|ip| {
            ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                || ip == self.interface
                || self.interface.is_unspecified()
        })
    }
}

/// `name[:port]` → the name and the port; `None` when the port is not a
/// number or the brackets of an IPv6 address do not close.
pub(super) fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        let (name, rest) = authority.split_at(end);
        if rest.is_empty() {
            (name, None)
        } else {
            (name, Some(rest.strip_prefix(':')?))
        }
    } else {
        match authority.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            Some(port.parse::<u16>().ok()?)
        }
        Some(_) => return None,
    };
    Some((name, port))
}

/// Whether a `Host` header is safe to echo into the CSP (no quotes, spaces
/// or `;` that could change the policy).
pub(super) fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}
