//! A panel on one server (issue 11, items 4 and 7): failed logins cost the same whether or not
//! the account exists, a failed `shifan demo` leaves nothing behind, and `shifan backup` makes a
//! consistent, verifiable copy while others write.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use shifan::domain::access::Role;
use shifan::store::{Store, StoreError};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn a_failed_login_takes_as_long_for_an_unknown_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("login.db")).unwrap();
    store
        .add_account(None, "ministry", &Role::Ministry, "right-password", false)
        .unwrap();
    // Interleaved, so that load from other processes hits both kinds alike; the median of
    // several tries each.
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let t = Instant::now();
        let r = store.login("ministry", "wrong-password");
        known.push(t.elapsed());
        assert!(matches!(r, Err(StoreError::BadLogin)), "{r:?}");
        let t = Instant::now();
        let r = store.login("nobody", "wrong-password");
        unknown.push(t.elapsed());
        // The same answer as a wrong password: nothing tells the two apart.
        assert!(matches!(r, Err(StoreError::BadLogin)), "{r:?}");
    }
    let (k, u) = (median(known), median(unknown));
    eprintln!(
        "failed login, median of 9: existing account {:.1} ms, unknown account {:.1} ms",
        k.as_secs_f64() * 1000.0,
        u.as_secs_f64() * 1000.0
    );
    assert!(
        u.as_secs_f64() >= 0.5 * k.as_secs_f64(),
        "an unknown account fails in {u:?}, an existing one in {k:?}: the difference tells which names exist"
    );
}
