//! The review shortcuts, as a pure map from a key press to what it does, so the map is tested
//! natively and the legend on screen cannot disagree with it.

/// What a key press asks the review to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Next,
    Previous,
    Approve,
    /// Opens the rejection reason chooser.
    Reject,
    /// Marks the face as matching (drives only): adds the person to the checked set.
    FaceMatches,
    /// Approves everyone checked (drives only).
    ApproveChecked,
    /// Picks one of the listed rejection reasons (0-based).
    Reason(usize),
    /// Picks "Lainnya" and moves to its text field.
    OtherReason,
    Confirm,
    Cancel,
}

/// What the review looks like when the key is pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// The rejection reason chooser is open: only its keys count.
    pub choosing_reason: bool,
    /// Batch decisions are on (drive mode).
    pub batch: bool,
}

/// The action for `key` (the `KeyboardEvent.key` value) with Shift held or not. Keys pressed
/// with Ctrl, Alt or Meta are the browser's and never reach this function.
pub fn action(key: &str, shift: bool, mode: Mode) -> Option<Action> {
    if mode.choosing_reason {
        return match key {
            "1" | "2" | "3" | "4" => key.parse::<usize>().ok().map(|n| Action::Reason(n - 1)),
            "5" => Some(Action::OtherReason),
            "Enter" => Some(Action::Confirm),
            "Escape" => Some(Action::Cancel),
            _ => None,
        };
    }
    match key {
        "j" | "J" | "ArrowDown" => Some(Action::Next),
        "k" | "K" | "ArrowUp" => Some(Action::Previous),
        "s" | "S" if shift => mode.batch.then_some(Action::ApproveChecked),
        "s" | "S" => Some(Action::Approve),
        "t" | "T" => Some(Action::Reject),
        " " | "c" | "C" => mode.batch.then_some(Action::FaceMatches),
        _ => None,
    }
}

/// The legend shown beside the queue: keys and what they do, in Bahasa Indonesia or
/// (`english`) in English.
pub fn legend(batch: bool, english: bool) -> Vec<(&'static str, &'static str)> {
    let pick = |id: &'static str, en: &'static str| if english { en } else { id };
    let mut keys = vec![
        ("J / ↓", pick("orang berikutnya", "next person")),
        ("K / ↑", pick("orang sebelumnya", "previous person")),
        ("S", pick("setujui", "approve")),
        (
            "T",
            pick(
                "tolak (1–4 alasan, 5 lainnya, Enter konfirmasi, Esc batal)",
                "reject (1–4 reason, 5 other, Enter confirm, Esc cancel)",
            ),
        ),
    ];
    if batch {
        keys.push((
            pick("C / Spasi", "C / Space"),
            pick(
                "wajah cocok, centang lalu lanjut",
                "face matches, tick and go on",
            ),
        ));
        keys.push((
            "Shift+S",
            pick("setujui semua yang dicentang", "approve everyone ticked"),
        ));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESK: Mode = Mode {
        choosing_reason: false,
        batch: false,
    };
    const DRIVE: Mode = Mode {
        choosing_reason: false,
        batch: true,
    };
    const CHOOSING: Mode = Mode {
        choosing_reason: true,
        batch: false,
    };

    #[test]
    fn moving_through_the_queue_uses_vim_keys_and_arrows() {
        assert_eq!(action("j", false, DESK), Some(Action::Next));
        assert_eq!(action("ArrowDown", false, DESK), Some(Action::Next));
        assert_eq!(action("k", false, DESK), Some(Action::Previous));
        assert_eq!(action("ArrowUp", false, DRIVE), Some(Action::Previous));
    }

    #[test]
    fn s_approves_one_and_shift_s_the_checked_only_on_drives() {
        assert_eq!(action("s", false, DESK), Some(Action::Approve));
        // Caps Lock on, no Shift: still one person.
        assert_eq!(action("S", false, DESK), Some(Action::Approve));
        assert_eq!(action("S", true, DRIVE), Some(Action::ApproveChecked));
        assert_eq!(action("S", true, DESK), None);
    }

    #[test]
    fn the_face_check_mark_exists_only_on_drives() {
        assert_eq!(action(" ", false, DRIVE), Some(Action::FaceMatches));
        assert_eq!(action("c", false, DRIVE), Some(Action::FaceMatches));
        assert_eq!(action(" ", false, DESK), None);
    }

    #[test]
    fn while_choosing_a_reason_only_the_chooser_keys_count() {
        assert_eq!(action("1", false, CHOOSING), Some(Action::Reason(0)));
        assert_eq!(action("4", false, CHOOSING), Some(Action::Reason(3)));
        assert_eq!(action("5", false, CHOOSING), Some(Action::OtherReason));
        assert_eq!(action("Enter", false, CHOOSING), Some(Action::Confirm));
        assert_eq!(action("Escape", false, CHOOSING), Some(Action::Cancel));
        assert_eq!(action("s", false, CHOOSING), None);
        assert_eq!(action("j", false, CHOOSING), None);
        assert_eq!(action("1", false, DESK), None);
    }

    #[test]
    fn the_legend_lists_the_batch_keys_only_on_drives() {
        assert_eq!(legend(false, false).len(), 4);
        assert!(legend(true, false).iter().any(|(key, _)| *key == "Shift+S"));
        assert_eq!(legend(true, true).len(), legend(true, false).len());
    }
}
