//! One module per screen of the console.

pub mod audit;
pub mod dashboard;
pub mod desk;
pub mod drive;
pub mod drives;
pub mod home;
pub mod login;
pub mod projector;
pub mod second_factor;
pub mod staff;
