//! The names of the record's fields as the KTP, the KK, Biodata, Dokumen and the verifier show
//! them, in both languages. One closed set, so the same field reads the same on every screen.
//! The values stay as the registry writes them (Indonesian): screens mark them `lang="id"`,
//! so a screen reader in English mode still pronounces "LAKI-LAKI" or "KAWIN" as Indonesian.

use leptos::prelude::*;

use crate::i18n::I18n;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Nik,
    Name,
    FullName,
    PlaceAndDateOfBirth,
    PlaceOfBirth,
    DateOfBirth,
    Sex,
    BloodType,
    Address,
    RtRw,
    Village,
    District,
    Regency,
    Province,
    Religion,
    MaritalStatus,
    Occupation,
    Citizenship,
    ValidUntil,
    KkNumber,
    HeadOfFamily,
    Relationship,
    RowNumber,
    DocumentNumber,
    TaxOffice,
    CivilServantNumber,
    Agency,
    WorkUnit,
    Position,
    Rank,
    Status,
    AppointedOn,
    Over17,
}

impl Field {
    /// (Bahasa Indonesia, English).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Field::Nik => ("NIK", "NIK"),
            Field::Name => ("Nama", "Name"),
            Field::FullName => ("Nama lengkap", "Full name"),
            Field::PlaceAndDateOfBirth => ("Tempat/Tgl Lahir", "Place/date of birth"),
            Field::PlaceOfBirth => ("Tempat lahir", "Place of birth"),
            Field::DateOfBirth => ("Tanggal lahir", "Date of birth"),
            Field::Sex => ("Jenis kelamin", "Sex"),
            Field::BloodType => ("Golongan darah", "Blood type"),
            Field::Address => ("Alamat", "Address"),
            Field::RtRw => ("RT/RW", "RT/RW (neighbourhood)"),
            Field::Village => ("Kelurahan/Desa", "Village"),
            Field::District => ("Kecamatan", "District"),
            Field::Regency => ("Kabupaten/Kota", "Regency/city"),
            Field::Province => ("Provinsi", "Province"),
            Field::Religion => ("Agama", "Religion"),
            Field::MaritalStatus => ("Status perkawinan", "Marital status"),
            // A soft hyphen: on a narrow card the label breaks as "Kewarga-negaraan", never
            // mid-syllable.
            Field::Citizenship => ("Kewarga\u{ad}negaraan", "Citizenship"),
            Field::Occupation => ("Pekerjaan", "Occupation"),
            Field::ValidUntil => ("Berlaku hingga", "Valid until"),
            Field::KkNumber => ("No. KK", "Family card no."),
            Field::HeadOfFamily => ("Kepala keluarga", "Head of family"),
            Field::Relationship => ("Hubungan", "Relationship"),
            Field::RowNumber => ("No", "No."),
            Field::DocumentNumber => ("Nomor", "Number"),
            Field::TaxOffice => ("KPP", "Tax office (KPP)"),
            Field::CivilServantNumber => ("NIP", "NIP (civil servant no.)"),
            Field::Agency => ("Instansi", "Agency"),
            Field::WorkUnit => ("Unit kerja", "Work unit"),
            Field::Position => ("Jabatan", "Position"),
            Field::Rank => ("Golongan", "Rank"),
            Field::Status => ("Status", "Status"),
            Field::AppointedOn => ("TMT", "Appointed on (TMT)"),
            Field::Over17 => ("17+", "Aged 17+"),
        }
    }

    /// How the printed e-KTP spells the field in Indonesian (its own capitals and short
    /// forms); English is the same as elsewhere.
    pub fn card_words(self) -> (&'static str, &'static str) {
        let (id, en) = self.words();
        let on_card = match self {
            Field::PlaceAndDateOfBirth => "Tempat/Tgl Lahir",
            Field::Sex => "Jenis Kelamin",
            Field::BloodType => "Gol. Darah",
            Field::Village => "Kel/Desa",
            Field::MaritalStatus => "Status Perkawinan",
            Field::ValidUntil => "Berlaku Hingga",
            _ => id,
        };
        (on_card, en)
    }

    /// The field's name in the chosen language, following a switch.
    pub fn label(self, i18n: I18n) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        following(i18n, self.words())
    }

    /// The field's name as the printed e-KTP shows it, following a switch.
    pub fn card_label(
        self,
        i18n: I18n,
    ) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        following(i18n, self.card_words())
    }
}

fn following(
    i18n: I18n,
    (id, en): (&'static str, &'static str),
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || i18n.t(id, en)
}

/// One `<dt>`/`<dd>` pair: the label in the chosen language, the registry's value in
/// Indonesian. `number` keeps a number or date in one piece (it never wraps).
pub fn field_row(i18n: I18n, field: Field, value: String, number: bool) -> impl IntoView {
    view! {
        <div class:num-row=number>
            <dt>{field.label(i18n)}</dt>
            <dd lang="id" class:num=number>{value}</dd>
        </div>
    }
}
