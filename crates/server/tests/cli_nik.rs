//! `ikd nik parse`: the command-line contract of issue 3, run against the built binary.

use std::process::{Command, Output};

use serde_json::{Value, json};

fn ikd_nik(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ikd"))
        .arg("nik")
        .args(args)
        .env("IKD_LOG", "off")
        .output()
        .expect("the ikd binary runs")
}

/// The one JSON object on the last line of stdout.
fn last_json_line(output: &Output) -> Value {
    let stdout = String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8");
    let line = stdout.lines().last().expect("stdout has a line");
    serde_json::from_str(line).expect("the last line is JSON")
}

#[test]
fn a_valid_nik_of_a_woman_from_depok_prints_every_field_and_exits_0() {
    let output = ikd_nik(&["parse", "3276014507900003"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        last_json_line(&output),
        json!({
            "valid": true,
            "nik": "3276014507900003",
            "provinceCode": "32",
            "province": "JAWA BARAT",
            "regencyCode": "32.76",
            "regency": "KOTA DEPOK",
            "districtCode": "32.76.01",
            "district": "Pancoran Mas",
            "birthDate": "1990-07-05",
            "sex": "P",
            "serial": "0003",
        })
    );
}

#[test]
fn the_valid_answer_keeps_the_documented_key_order() {
    let output = ikd_nik(&["parse", "3276014507900003"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.lines().last().unwrap(),
        r#"{"valid":true,"nik":"3276014507900003","provinceCode":"32","province":"JAWA BARAT","regencyCode":"32.76","regency":"KOTA DEPOK","districtCode":"32.76.01","district":"Pancoran Mas","birthDate":"1990-07-05","sex":"P","serial":"0003"}"#
    );
}

#[test]
fn each_kind_of_invalid_nik_exits_1_with_its_code_and_an_indonesian_message() {
    for (nik, code, message) in [
        (
            "32760145079000",
            "format",
            "NIK harus terdiri dari 16 angka",
        ),
        (
            "３２７６０１４５０７９０００３",
            "format",
            "NIK harus terdiri dari 16 angka",
        ),
        (
            "9976014507900003",
            "region",
            "Kode provinsi 99 pada NIK tidak terdaftar",
        ),
        (
            "3299014507900003",
            "region",
            "Kode kabupaten/kota 32.99 pada NIK tidak terdaftar",
        ),
        (
            "3276994507900003",
            "region",
            "Kode kecamatan 32.76.99 pada NIK tidak terdaftar",
        ),
        (
            "3276017207900003",
            "date",
            "Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid",
        ),
        (
            "3276012902010003",
            "date",
            "Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid",
        ),
        (
            "3276014507900000",
            "serial",
            "Nomor urut pada NIK (4 angka terakhir) tidak boleh 0000",
        ),
    ] {
        let output = ikd_nik(&["parse", nik]);
        assert_eq!(output.status.code(), Some(1), "{nik}");
        assert_eq!(
            last_json_line(&output),
            json!({ "valid": false, "error": code, "message": message }),
            "{nik}"
        );
    }
}

#[test]
fn a_missing_nik_is_a_usage_error_with_exit_2() {
    let output = ikd_nik(&["parse"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}
