//! Sign-in throttling: too many failed attempts for one account, or from one client address,
//! within a window lock further attempts until the window has passed.
use chrono::{DateTime, TimeDelta, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window: TimeDelta,
    pub max_failures_per_account: usize,
    pub max_failures_per_address: usize,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: TimeDelta::minutes(15),
            max_failures_per_account: 5,
            max_failures_per_address: 20,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThrottleDecision {
    Allow,
    Locked { retry_after_minutes: i64 },
}

/// `failures` are the times of failed attempts for one key (any order, any age). One a moment
/// after `now` counts too: a parallel attempt that took its time later.
pub fn decide(
    failures: &[DateTime<Utc>],
    limit: usize,
    window: TimeDelta,
    now: DateTime<Utc>,
) -> ThrottleDecision {
    let mut recent: Vec<_> = failures
        .iter()
        .copied()
        .filter(|at| *at > now - window)
        .collect();
    if limit == 0 || recent.len() < limit {
        return ThrottleDecision::Allow;
    }
    recent.sort_unstable();
    // Unlocks when the oldest of the last `limit` failures leaves the window.
    let unlock_at = recent[recent.len() - limit] + window;
    let seconds = (unlock_at - now).num_seconds().max(1);
    ThrottleDecision::Locked {
        retry_after_minutes: (seconds + 59) / 60,
    }
}

/// What a sign-in attempt may do, decided before its password is checked. The attempt is
/// counted as a failure first (so a parallel burst cannot pass the limit) and forgotten if the
/// password is right; the failures given here are the earlier ones, without it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// The account is locked: not even the right password opens it.
    Refuse { retry_after_minutes: i64 },
    /// Check the password. Behind a locked address (an office behind one NAT where someone
    /// mistyped twenty times) a right password still gets in; a wrong one hears of the lock.
    Verify { address_lock: Option<i64> },
}

pub fn gate(
    account_failures: &[DateTime<Utc>],
    address_failures: &[DateTime<Utc>],
    policy: ThrottlePolicy,
    now: DateTime<Utc>,
) -> Gate {
    let account = decide(
        account_failures,
        policy.max_failures_per_account,
        policy.window,
        now,
    );
    if let ThrottleDecision::Locked {
        retry_after_minutes,
    } = account
    {
        return Gate::Refuse {
            retry_after_minutes,
        };
    }
    let address = decide(
        address_failures,
        policy.max_failures_per_address,
        policy.window,
        now,
    );
    Gate::Verify {
        address_lock: match address {
            ThrottleDecision::Allow => None,
            ThrottleDecision::Locked {
                retry_after_minutes,
            } => Some(retry_after_minutes),
        },
    }
}

/// How a checked attempt ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    SignIn,
    WrongCredentials,
    Locked { retry_after_minutes: i64 },
}

pub fn outcome(gate: Gate, verified: bool) -> Outcome {
    match (gate, verified) {
        (
            Gate::Refuse {
                retry_after_minutes,
            },
            _,
        )
        | (
            Gate::Verify {
                address_lock: Some(retry_after_minutes),
            },
            false,
        ) => Outcome::Locked {
            retry_after_minutes,
        },
        (Gate::Verify { .. }, true) => Outcome::SignIn,
        (Gate::Verify { address_lock: None }, false) => Outcome::WrongCredentials,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + TimeDelta::minutes(minute)
    }

    #[test]
    fn locks_after_the_limit_within_the_window() {
        let window = TimeDelta::minutes(15);
        let table: [(&[i64], i64, ThrottleDecision); 7] = [
            (&[], 0, ThrottleDecision::Allow),
            (&[0, 1, 2, 3], 4, ThrottleDecision::Allow),
            (
                &[0, 1, 2, 3, 4],
                5,
                ThrottleDecision::Locked {
                    retry_after_minutes: 10,
                },
            ),
            // The oldest failure left the window: four remain.
            (&[0, 1, 2, 3, 4], 15, ThrottleDecision::Allow),
            // Old failures outside the window do not count.
            (&[-60, -50, -40, -30, 1], 2, ThrottleDecision::Allow),
            // Parallel attempts stamped a moment later than this one count.
            (
                &[0, 1, 2, 3, 4],
                3,
                ThrottleDecision::Locked {
                    retry_after_minutes: 12,
                },
            ),
            (
                &[4, 3, 2, 1, 0, 5],
                6,
                ThrottleDecision::Locked {
                    retry_after_minutes: 10,
                },
            ),
        ];
        for (failures, now, expected) in table {
            let failures: Vec<_> = failures.iter().map(|m| at(*m)).collect();
            assert_eq!(
                decide(&failures, 5, window, at(now)),
                expected,
                "{failures:?} at {now}"
            );
        }
    }

    #[test]
    fn the_gate_locks_accounts_and_lets_a_right_password_past_a_locked_address() {
        let policy = ThrottlePolicy {
            window: TimeDelta::minutes(15),
            max_failures_per_account: 2,
            max_failures_per_address: 3,
        };
        let times = |n: i64| (0..n).map(at).collect::<Vec<_>>();
        let now = at(5);
        let table: [(i64, i64, bool, Outcome); 8] = [
            (0, 0, true, Outcome::SignIn),
            (0, 0, false, Outcome::WrongCredentials),
            (1, 2, false, Outcome::WrongCredentials),
            // The account's own limit: the right password waits too.
            (
                2,
                0,
                true,
                Outcome::Locked {
                    retry_after_minutes: 10,
                },
            ),
            (
                2,
                0,
                false,
                Outcome::Locked {
                    retry_after_minutes: 10,
                },
            ),
            // The address's limit: the right password gets in, a wrong one hears of the lock.
            (0, 3, true, Outcome::SignIn),
            (
                1,
                3,
                false,
                Outcome::Locked {
                    retry_after_minutes: 10,
                },
            ),
            (
                2,
                3,
                true,
                Outcome::Locked {
                    retry_after_minutes: 10,
                },
            ),
        ];
        for (account, address, verified, expected) in table {
            let gate = gate(&times(account), &times(address), policy, now);
            assert_eq!(
                outcome(gate, verified),
                expected,
                "{account} account and {address} address failures, verified {verified}"
            );
        }
        // A refused attempt does not check the password at all.
        assert_eq!(
            gate(&times(2), &[], policy, now),
            Gate::Refuse {
                retry_after_minutes: 10
            }
        );
    }
}
