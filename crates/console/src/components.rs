//! Pieces several pages share. The review pieces (queue list, detail panel, reject chooser
//! and the keyboard handling in `review`) serve both the desk and the drive page.

pub mod desk_qr;
pub mod detail_panel;
pub mod frame;
pub mod problem;
pub mod queue_list;
pub mod reject_chooser;
pub mod review;
pub mod unlock_form;
