//! Where the repository is published: web addresses for commits and edits,
//! from pm.toml's `repository` or the `origin` remote. Uses nothing else of
//! `git/`.

use git2::Repository;

use crate::revisions::{Forge, RepoLinks};

/// Turns a remote URL (https, ssh or scp-like) into the repository's web
/// address: `git@github.com:org/r.git` → `https://github.com/org/r`.
pub fn web_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (host, path) = if let Some(rest) = remote
        .strip_prefix("https://")
        .or_else(|| remote.strip_prefix("http://"))
    {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        rest.split_once('/')?
    } else if let Some(rest) = remote.strip_prefix("ssh://") {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let (host, path) = rest.split_once('/')?;
        // `ssh://git@host:2222/org/r.git`: the port is not the web's.
        (host.split(':').next()?, path)
    } else if remote.contains("://") {
        // `file://`, `git://` and other schemes have no web page.
        return None;
    } else if let Some((user_host, path)) = remote.split_once(':') {
        if user_host.contains('/') {
            return None;
        }
        (
            user_host.rsplit_once('@').map_or(user_host, |(_, h)| h),
            path,
        )
    } else {
        return None;
    };
    let path = path
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .trim_matches('/');
    if host.is_empty() || path.is_empty() {
        return None;
    }
    Some(format!("https://{host}/{path}"))
}

/// The forge a web URL belongs to.
pub fn forge_of(web: &str) -> Forge {
    let host = web
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default();
    if host == "github.com" || host.starts_with("github.") {
        Forge::GitHub
    } else if host == "gitlab.com" || host.starts_with("gitlab.") {
        Forge::GitLab
    } else {
        Forge::Other
    }
}

/// The links of `repo`: `configured` (pm.toml's `repository`) or the
/// `origin` remote's web address, its branch, and the records' `prefix`.
pub(super) fn links(
    repo: &Repository,
    configured: Option<&str>,
    prefix: &str,
) -> Option<RepoLinks> {
    let web = match configured {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let remote = repo.find_remote("origin").ok()?;
            web_url(remote.url().ok()?)?
        }
    };
    let branch = repo
        .head()
        .ok()
        .filter(git2::Reference::is_branch)
        .and_then(|h| h.shorthand().ok().map(str::to_owned))
        .unwrap_or_else(|| "main".to_owned());
    Some(RepoLinks {
        forge: forge_of(&web),
        web,
        branch,
        prefix: prefix.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_become_web_addresses() {
        for (remote, web) in [
            (
                "git@github.com:acme/records.git",
                "https://github.com/acme/records",
            ),
            (
                "https://github.com/acme/records.git",
                "https://github.com/acme/records",
            ),
            (
                "https://token@gitlab.com/ops/sre/records",
                "https://gitlab.com/ops/sre/records",
            ),
            (
                "ssh://git@git.example.com:2222/ops/records.git",
                "https://git.example.com/ops/records",
            ),
        ] {
            assert_eq!(web_url(remote).as_deref(), Some(web), "{remote}");
        }
        assert_eq!(web_url("/srv/git/records.git"), None);
        assert_eq!(web_url("file:///srv/git/records.git"), None);
    }

    #[test]
    fn forge_links() {
        let links = |web: &str| RepoLinks {
            web: web.to_owned(),
            forge: forge_of(web),
            branch: "main".to_owned(),
            prefix: "ops/".to_owned(),
        };
        let gh = links("https://github.com/acme/records");
        assert_eq!(
            gh.commit_url("abc"),
            "https://github.com/acme/records/commit/abc"
        );
        assert_eq!(
            gh.edit_url("incidents/x.md").as_deref(),
            Some("https://github.com/acme/records/edit/main/ops/incidents/x.md")
        );
        let gl = links("https://gitlab.com/ops/records");
        assert_eq!(
            gl.commit_url("abc"),
            "https://gitlab.com/ops/records/-/commit/abc"
        );
        assert_eq!(links("https://git.example.com/r").edit_url("x"), None);
    }
}
