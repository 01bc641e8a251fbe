//! CSV exports (drive progress, dashboard views) as RFC 4180 text that spreadsheets open:
//! CRLF line ends, fields quoted when needed, and cells that a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@` first) prefixed with `'`.

#[derive(Debug)]
pub struct CsvOut {
    text: String,
}

impl CsvOut {
    pub fn new(header: &[&str]) -> Self {
        let mut out = CsvOut {
            text: String::new(),
        };
        out.row(header);
        out
    }

    pub fn row(&mut self, cells: &[&str]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            push_cell(&mut self.text, cell);
        }
        self.text.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.text
    }
}

fn push_cell(out: &mut String, cell: &str) {
    let formula = cell.starts_with(['=', '+', '-', '@']) && cell.parse::<f64>().is_err();
    let cell = if formula {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if cell.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting_and_defuses_formulas() {
        let mut out = CsvOut::new(&["a", "b"]);
        out.row(&["KOTA DEPOK, JAWA BARAT", "say \"hi\""]);
        out.row(&["=HYPERLINK(\"x\")", "-12.5"]);
        assert_eq!(
            out.finish(),
            "a,b\r\n\"KOTA DEPOK, JAWA BARAT\",\"say \"\"hi\"\"\"\r\n\"'=HYPERLINK(\"\"x\"\")\",-12.5\r\n"
        );
    }
}
