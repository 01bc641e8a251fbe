//! The population registry (SIAK). The real one is not public, so this service ships a
//! synthetic one: deterministic families on real villages (`generator`), with linked documents,
//! generated portraits (`portrait`), and a CSV import for pilots (`csv_import`). Each load
//! records its origin (`origin`): synthetic data is labelled as demo data wherever it is shown.

pub mod csv_import;
pub mod csv_rows;
pub mod demo_office;
pub mod generator;
pub mod lookup;
pub mod model;
pub mod names;
pub mod origin;
pub mod photos;
pub mod plates;
pub mod population;
pub mod portrait;
pub mod rng;
pub mod seed;
pub mod store;
