//! `ikd seed --csv FILE [--photos DIR]`: an extract's registry photos come from the CSV's
//! photo column (a path relative to the CSV) or a folder of `NIK.jpg` (issue 13, item 18).

use std::process::{Command, Output};

fn ikd(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ikd"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("IKD_DATABASE_URL")
        .env("IKD_LOG", "off")
        .output()
        .expect("run ikd")
}

fn last_json_line(output: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().expect("a line on stdout");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// The smallest file that passes the JPEG check (SOI and a marker), standing in for a photo.
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0xFF, 0xD9,
];

#[test]
fn photos_come_from_the_photo_column_or_the_nik_folder_and_a_bad_file_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data dir");
    std::fs::create_dir(dir.path().join("foto")).expect("foto");
    std::fs::write(dir.path().join("foto/budi.jpg"), JPEG).expect("budi");
    std::fs::write(dir.path().join("foto/besar.jpg"), {
        let mut big = JPEG.to_vec();
        big.resize(600 * 1024, 0);
        big
    })
    .expect("big");
    let folder = dir.path().join("per-nik");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join("3276015203920002.jpg"), JPEG).expect("siti");
    // Kota Depok, Pancoran Mas, village 32.76.01.1006 (Depok).
    let row = |nik: &str, name: &str, sex: &str, born: &str, rel: &str, photo: &str| {
        format!(
            "3276011203150001,{nik},{name},{sex},Depok,{born},ISLAM,KAWIN,KARYAWAN SWASTA,SLTA/SEDERAJAT,O,{rel},Slamet,Sri,JL. MAWAR NO. 1,3,7,32.76.01.1006,1,1,,,{photo}"
        )
    };
    let csv = [
        "kk_number,nik,full_name,sex,place_of_birth,birth_date,religion,marital_status,occupation,education,blood_type,relationship,father_name,mother_name,street,rt,rw,village_code,ektp_recorded,ektp_printed,email,phone,photo".to_owned(),
        row("3276010507900001", "Budi", "L", "1990-07-05", "KEPALA KELUARGA", "foto/budi.jpg"),
        row("3276015203920002", "Siti", "P", "1992-03-12", "ISTRI", ""),
        row("3276010101000003", "Andi", "L", "2000-01-01", "ANAK", ""),
        row("3276010202000004", "Besar", "L", "2000-02-02", "ANAK", "foto/besar.jpg"),
    ]
    .join("\n");
    let file = dir.path().join("pilot.csv");
    std::fs::write(&file, csv).expect("csv");

    let seeded = ikd(
        &data,
        &[
            "seed",
            "--csv",
            file.to_str().expect("path"),
            "--photos",
            folder.to_str().expect("path"),
        ],
    );
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let report = last_json_line(&seeded);
    assert_eq!(report["persons"], 3, "{report}");
    assert_eq!(report["photos"], 2, "{report}");
    assert_eq!(report["origin"], "extract");
    let rejected = report["rejected"].as_array().expect("rejected");
    assert_eq!(rejected.len(), 1, "{report}");
    assert_eq!(rejected[0]["line"], 5);
    assert!(
        rejected[0]["reason"]
            .as_str()
            .expect("reason")
            .contains("512 KB"),
        "{report}"
    );

    // A photo folder means nothing without an extract to go with it.
    let alone = ikd(
        &data,
        &["seed", "--replace", "--photos", folder.to_str().expect("p")],
    );
    assert!(!alone.status.success());
}
