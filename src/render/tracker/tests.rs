use super::*;
use crate::model::ActionStatus;

fn item(due: &str, status: ActionStatus) -> Action {
    Action {
        index: 0,
        span: 0..0,
        kind: None,
        text: "x".to_owned(),
        owner: None,
        due: Some(due.parse().unwrap()),
        due_unread: false,
        status,
        link: None,
        closed: None,
    }
}

#[test]
fn owner_and_kind_pages_hold_four_links_per_row() {
    assert_eq!(items_per_page(false, 100), 100);
    assert_eq!(items_per_page(true, 100), 400);
    for size in 1..8 {
        assert_eq!(items_per_page(true, size), size * LINKS_PER_ROW);
    }
}

#[test]
fn due_notes_say_the_urgency_in_words() {
    let today: jiff::civil::Date = "2026-11-30".parse().unwrap();
    let note = |due: &str| due_note(&item(due, ActionStatus::Open), today);
    assert_eq!(note("2026-11-27").as_deref(), Some("Overdue by 3 days"));
    assert_eq!(note("2026-11-29").as_deref(), Some("Overdue by 1 day"));
    assert_eq!(note("2026-11-30").as_deref(), Some("Due today"));
    assert_eq!(note("2026-12-01").as_deref(), Some("Due tomorrow"));
    assert_eq!(note("2026-12-07").as_deref(), Some("Due in 7 days"));
    assert_eq!(note("2026-12-08"), None);
    assert_eq!(
        due_note(&item("2026-11-01", ActionStatus::Done), today),
        None
    );
}

/// TrackerItem as `#[serde(flatten)]` wrote it, before its `Serialize` was
/// written by hand.
#[derive(Serialize)]
struct Flattened<'a> {
    #[serde(flatten)]
    action: &'a ActionView,
    anchor: &'a str,
    state: &'static str,
    data_owner: &'a str,
    data_kind: &'a str,
    owner_url: &'a str,
    kind_url: &'a str,
    row_url: &'a str,
    number: usize,
    due_note: &'a Option<String>,
}

fn tracker_item() -> TrackerItem {
    TrackerItem {
        action: ActionView {
            kind: Some("prevention"),
            text_html: "Add <em>alerts</em>".to_owned(),
            owner: Some("Lena".to_owned()),
            due: Some("2026-11-20".to_owned()),
            status: "open",
            link: None,
            overdue: true,
            closed: None,
            incident_id: "2026-01-02-db".to_owned(),
            incident_url: "incidents/2026-01-02-db.html".to_owned(),
            incident_title: "Database down".to_owned(),
        },
        anchor: "action-2026-01-02-db-1".to_owned(),
        state: "overdue",
        data_owner: "lena".to_owned(),
        data_kind: "prevention".to_owned(),
        owner_url: "actions/owners/lena/index.html".to_owned(),
        kind_url: "actions/kinds/prevention/index.html".to_owned(),
        row_url: "actions/index.html#action-2026-01-02-db-1".to_owned(),
        number: 1,
        due_note: Some("Overdue by 11 days".to_owned()),
    }
}

#[test]
fn a_tracker_item_has_the_fields_flatten_gave_it_in_the_same_order() {
    let item = tracker_item();
    let flattened = Flattened {
        action: &item.action,
        anchor: &item.anchor,
        state: item.state,
        data_owner: &item.data_owner,
        data_kind: &item.data_kind,
        owner_url: &item.owner_url,
        kind_url: &item.kind_url,
        row_url: &item.row_url,
        number: item.number,
        due_note: &item.due_note,
    };
    // serde_json keeps the order fields are written in (`preserve_order`).
    assert_eq!(
        serde_json::to_string(&item).unwrap(),
        serde_json::to_string(&flattened).unwrap()
    );
    let value = tera::Value::from_serializable(&item);
    assert_eq!(value, tera::Value::from_serializable(&flattened));
    let keys: Vec<String> = value
        .as_map()
        .unwrap()
        .keys()
        .filter_map(|k| k.as_str().map(str::to_owned))
        .collect();
    assert_eq!(keys.len(), 20);
    // The length an action announces is the fields it writes.
    let action = serde_json::to_value(&item.action).unwrap();
    assert_eq!(
        action.as_object().map(|o| o.len()),
        Some(ActionView::FIELDS)
    );
    assert_eq!(keys.first().map(String::as_str), Some("kind"));
    assert_eq!(keys.last().map(String::as_str), Some("due_note"));
}

#[test]
fn a_shared_group_table_is_the_table_as_rows() {
    let rows = vec![
        GroupRow {
            label: "Lena".to_owned(),
            slug: "lena".to_owned(),
            url: "actions/owners/lena/index.html".to_owned(),
            open: 2,
            overdue: 1,
            closed: 0,
            next_due: Some("2026-11-20".to_owned()),
            current: false,
        },
        GroupRow {
            label: "Unowned".to_owned(),
            slug: UNOWNED.to_owned(),
            url: "actions/owners/_unowned/index.html".to_owned(),
            open: 0,
            overdue: 0,
            closed: 3,
            next_due: None,
            current: false,
        },
    ];
    let shared = GroupRows::shared(&rows);
    assert!(matches!(shared, GroupRows::Shared(_)));
    assert_eq!(
        tera::Value::from_serializable(&shared),
        tera::Value::from_serializable(&rows)
    );
    assert_eq!(
        serde_json::to_string(&shared).unwrap(),
        serde_json::to_string(&rows).unwrap()
    );
}
