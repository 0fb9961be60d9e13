use super::*;

fn lock(dir: &Path) -> OutputLock {
    prepare_output(dir, LOCK_TIMEOUT, || {}).unwrap().0
}

#[test]
fn remove_tree_removes_everything_and_follows_no_link() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    write_new(&outside.join("keep.txt"), b"keep").unwrap();
    let tree = tmp.path().join("site");
    for dir in ["a/b/c", "a/d", "e", "empty/deeper"] {
        fs::create_dir_all(tree.join(dir)).unwrap();
    }
    for file in [
        "x.html",
        "a/y.html",
        "a/b/c/z.html",
        "a/d/w.html",
        "e/v.html",
    ] {
        write_new(&tree.join(file), file.as_bytes()).unwrap();
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, tree.join("a/link-to-dir")).unwrap();
        std::os::unix::fs::symlink(outside.join("keep.txt"), tree.join("link-to-file")).unwrap();
    }
    remove_tree(&tree).unwrap();
    assert!(!tree.exists());
    assert_eq!(
        fs::read_to_string(outside.join("keep.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn a_file_changed_since_read_is_not_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("record.md");
    write_new(&path, b"as read").unwrap();
    replace_if_unchanged(&path, b"as read", b"edited").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"edited");
    // Another program saved the file after pm read "edited".
    fs::rename(tmp.path().join("record.md"), tmp.path().join("old")).unwrap();
    write_new(&path, b"saved by an editor").unwrap();
    let err = replace_if_unchanged(&path, b"edited", b"edited twice").unwrap_err();
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), b"saved by an editor");
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

#[test]
fn safe_relative_rejects_escapes() {
    assert!(safe_relative("incidents/a/index.html").is_some());
    assert!(safe_relative("../x").is_none());
    assert!(safe_relative("a/../../x").is_none());
    assert!(safe_relative("/etc/passwd").is_none());
    assert!(safe_relative("").is_none());
}

#[test]
fn writes_swaps_and_refuses_foreign_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let files = vec![
        ("index.html".to_owned(), "one"),
        ("a/b.txt".to_owned(), "two"),
    ];
    write_site(&lock(&out), &files, false, |_, s| {
        Ok(Produced::Bytes(s.as_bytes().to_vec()))
    })
    .unwrap();
    assert_eq!(fs::read_to_string(out.join("a/b.txt")).unwrap(), "two");
    assert!(out.join(MARKER).is_file());
    // Rebuild replaces it whole: a file not in the new site is gone.
    let files = vec![("index.html".to_owned(), "three")];
    write_site(&lock(&out), &files, false, |_, s| {
        Ok(Produced::Bytes(s.as_bytes().to_vec()))
    })
    .unwrap();
    assert!(!out.join("a/b.txt").exists());
    // Nothing is left beside it.
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("public")]);

    let foreign = tmp.path().join("docs");
    fs::create_dir(&foreign).unwrap();
    create_new_file(&foreign.join("mine.txt"), "keep", "").unwrap();
    let err = write_site(&lock(&foreign), &files, false, |_, s| {
        Ok(Produced::Bytes(s.as_bytes().to_vec()))
    })
    .unwrap_err();
    assert!(matches!(err, Error::ForeignOutput(_)));
    assert_eq!(
        fs::read_to_string(foreign.join("mine.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn a_failed_build_keeps_the_old_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let files = vec![("index.html".to_owned(), Ok("good"))];
    write_site(&lock(&out), &files, false, |_, s: &Result<&str, ()>| {
        Ok(Produced::Bytes(s.unwrap().as_bytes().to_vec()))
    })
    .unwrap();
    let bad = vec![
        ("index.html".to_owned(), Err(())),
        ("x.html".to_owned(), Ok("x")),
    ];
    let err = write_site(&lock(&out), &bad, false, |_, s: &Result<&str, ()>| {
        s.map(|s| Produced::Bytes(s.as_bytes().to_vec()))
            .map_err(|()| Error::Template("boom".into()))
    });
    assert!(err.is_err());
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
    assert!(!out.join("x.html").exists());
}

#[test]
fn create_new_file_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("incidents/a.md");
    create_new_file(&p, "first", "pick another title").unwrap();
    let err = create_new_file(&p, "second", "pick another title").unwrap_err();
    assert!(matches!(err, Error::Exists(..)));
    assert_eq!(fs::read_to_string(&p).unwrap(), "first");
}

#[test]
fn a_second_lock_waits_then_gives_up_and_the_file_goes_with_the_last() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let first = lock(&out);
    let lock_file = tmp.path().join(".public.pm-lock");
    assert_eq!(fs::read_to_string(&lock_file).unwrap(), LOCK_TEXT);
    let mut waited = 0;
    let err = lock_output(&out, Duration::from_millis(200), || waited += 1).unwrap_err();
    assert_eq!(waited, 1);
    let message = err.to_string();
    assert!(
        message.contains("another pm build of `")
            && message.contains(".public.pm-lock")
            && message.contains("help: "),
        "{message}"
    );
    drop(first);
    assert!(!lock_file.exists(), "pm's lock file stays");
    let second = lock_output(&out, Duration::from_millis(200), || waited += 1).unwrap();
    assert_eq!(waited, 1);
    drop(second);
    assert!(!lock_file.exists());
    // A file of that name that is not pm's is locked, but never removed.
    create_new_file(&lock_file, "mine\n", "").unwrap();
    drop(lock(&out));
    assert_eq!(fs::read_to_string(&lock_file).unwrap(), "mine\n");
}

#[cfg(unix)]
#[test]
fn a_symlinked_lock_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("elsewhere.txt");
    create_new_file(&target, "keep\n", "").unwrap();
    std::os::unix::fs::symlink(&target, tmp.path().join(".public.pm-lock")).unwrap();
    let err = lock_output(&tmp.path().join("public"), LOCK_TIMEOUT, || {}).unwrap_err();
    assert!(err.to_string().contains("is not pm's lock file"), "{err}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep\n");
}

#[test]
fn leftover_names_are_exactly_pm_s() {
    assert_eq!(
        leftover_kind(".public.pm-staging-12", "public"),
        Some("staging")
    );
    assert_eq!(leftover_kind(".public.pm-old-1", "public"), Some("old"));
    assert_eq!(
        leftover_kind(".public.pm-trash-99", "public"),
        Some("trash")
    );
    for other in [
        ".public.pm-lock",
        ".public.pm-evil",
        ".public.pm-old-",
        ".public.pm-old-1x",
        ".public.pm-tmp-1",
        ".docs.pm-old-1",
        "public.pm-old-1",
    ] {
        assert_eq!(leftover_kind(other, "public"), None, "{other}");
    }
}

#[cfg(unix)]
#[test]
fn remove_tree_refuses_a_symlink_and_removes_the_marker_last() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_new(&site.join(MARKER), MARKER_TEXT.as_bytes()).unwrap();
    write_new(&site.join("a/index.html"), b"x").unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&site, &link).unwrap();
    assert!(remove_tree(&link).is_err());
    assert!(site.join("a/index.html").is_file());
    remove_tree(&site).unwrap();
    assert!(!site.exists());
}

#[test]
fn mount_points_are_told_apart_from_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("public");
    create_dir(&dir).unwrap();
    assert!(!is_mount_point(&dir).unwrap());
    assert!(!is_mount_point(&tmp.path().join("missing")).unwrap());
    #[cfg(target_os = "linux")]
    {
        // `/proc` is a mount of its own on every Linux system.
        assert!(is_mount_point(Path::new("/proc")).unwrap());
        assert_eq!(
            unescape_mount_point(r"/mnt/with\040space"),
            "/mnt/with space"
        );
        assert_eq!(unescape_mount_point(r"/a\134b"), r"/a\b");
    }
}
