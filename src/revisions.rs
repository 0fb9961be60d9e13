//! What git knows about the records, as plain data: each record file's
//! revisions, the commit a run reads, and where the repository is published.
//! `source::git` fills it in one walk; lints and pages read it. Nothing here
//! knows git.

use std::collections::BTreeMap;

/// One commit, as pages and `pm log` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The full commit id (hex).
    pub id: String,
    /// Commit time, seconds since 1970 (UTC).
    pub time: i64,
    /// Author name, after `.mailmap`.
    pub author: String,
    /// The first line of the message.
    pub summary: String,
}

impl Revision {
    /// The first 7 hex digits of the id.
    pub fn short_id(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }
}

/// A record's history: its revisions, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHistory {
    /// Every commit that added or changed the file, newest first (merges skipped).
    pub revisions: Vec<Revision>,
}

impl FileHistory {
    /// The commit that first recorded the file.
    pub fn first(&self) -> Option<&Revision> {
        self.revisions.last()
    }

    /// The commit that last changed it.
    pub fn last(&self) -> Option<&Revision> {
        self.revisions.first()
    }

    /// Authors in the order they first touched the file.
    pub fn authors(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in self.revisions.iter().rev() {
            if !out.contains(&r.author.as_str()) {
                out.push(&r.author);
            }
        }
        out
    }
}

/// Everything git told pm about the records.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// By root-relative path of each record file.
    pub files: BTreeMap<String, FileHistory>,
    /// The commit the run reads (HEAD, or `--rev`).
    pub head: Option<Revision>,
    /// Links to the published repository, when its URL is known.
    pub links: Option<RepoLinks>,
}

/// Where the repository is published, for links to commits and edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoLinks {
    /// `https://github.com/org/records`.
    pub web: String,
    /// Which forge shape the URLs take.
    pub forge: Forge,
    /// The branch "edit this page" links open.
    pub branch: String,
    /// The records root inside the repository (`` or `ops/records/`).
    pub prefix: String,
}

/// URL shapes of the forges pm knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    /// github.com and GitHub Enterprise.
    GitHub,
    /// gitlab.com and self-hosted GitLab.
    GitLab,
    /// Anything else (Gitea, Forgejo and cgit use `/commit/<id>` too).
    Other,
}

impl RepoLinks {
    /// The page of a commit.
    pub fn commit_url(&self, id: &str) -> String {
        match self.forge {
            Forge::GitLab => format!("{}/-/commit/{id}", self.web),
            Forge::GitHub | Forge::Other => format!("{}/commit/{id}", self.web),
        }
    }

    /// The "edit this file" page of a root-relative path, where the forge has one.
    pub fn edit_url(&self, rel: &str) -> Option<String> {
        let path = format!("{}{rel}", self.prefix);
        match self.forge {
            Forge::GitHub => Some(format!("{}/edit/{}/{path}", self.web, self.branch)),
            Forge::GitLab => Some(format!("{}/-/edit/{}/{path}", self.web, self.branch)),
            Forge::Other => None,
        }
    }
}
