//! `ikd nik parse NIK`: validates a NIK against the real region codes and prints one JSON
//! object on the last line of stdout. Exit 0 when valid, 1 when invalid, 2 on a usage error
//! (from clap). The shape is a contract (issue 3):
//!
//! ```text
//! {"valid":true,"nik":"3276014507900003","provinceCode":"32","province":"JAWA BARAT",
//!  "regencyCode":"32.76","regency":"KOTA DEPOK","districtCode":"32.76.01",
//!  "district":"Pancoran Mas","birthDate":"1990-07-05","sex":"P","serial":"0003"}
//! {"valid":false,"error":"format|region|date|serial","message":"<Bahasa Indonesia>"}
//! ```
//!
//! (one line each). Province and regency are upper case, as the KTP header prints them
//! ("PROVINSI JAWA BARAT", "KOTA DEPOK"); the district keeps idn-area-data's spelling.

use std::process::ExitCode;

use clap::Subcommand;
use ikd_core::{Date, NikInfo, Sex, parse_nik};
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub enum NikCommand {
    /// Uraikan dan periksa NIK (parse and validate a NIK)
    Parse {
        /// NIK 16 angka (the 16-digit NIK)
        nik: String,
    },
}

pub fn run(command: NikCommand) -> ExitCode {
    match command {
        NikCommand::Parse { nik } => parse(&nik),
    }
}

fn parse(text: &str) -> ExitCode {
    let today = crate::platform::clock::today_utc();
    match parse_nik(text, today) {
        Ok(info) => {
            super::print_json_line(&ValidNik::from(&info));
            ExitCode::SUCCESS
        }
        Err(err) => {
            super::print_json_line(&InvalidNik {
                valid: false,
                error: err.code(),
                message: err.message_id(),
            });
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidNik<'a> {
    valid: bool,
    nik: &'a str,
    province_code: &'static str,
    province: String,
    regency_code: &'static str,
    regency: String,
    district_code: &'static str,
    district: &'static str,
    birth_date: Date,
    sex: Sex,
    /// Four digits with leading zeros, as written in the NIK.
    serial: String,
}

impl<'a> From<&'a NikInfo> for ValidNik<'a> {
    fn from(info: &'a NikInfo) -> Self {
        ValidNik {
            valid: true,
            nik: &info.nik,
            province_code: info.province.code,
            province: info.province.name.to_uppercase(),
            regency_code: info.regency.code,
            regency: info.regency.name.to_uppercase(),
            district_code: info.district.code,
            district: info.district.name,
            birth_date: info.birth_date,
            sex: info.sex,
            serial: format!("{:04}", info.serial),
        }
    }
}

#[derive(Debug, Serialize)]
struct InvalidNik {
    valid: bool,
    error: &'static str,
    message: String,
}
