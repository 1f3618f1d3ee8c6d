//! Russian company requisites: INN, KPP, OGRN, BIC and bank accounts, with their check digits.
//! A typo in a bank account sends money to nobody; these rules catch it when it is typed.

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error,
)]
pub enum RequisiteError {
    #[error("INN must have 10 digits (organisation) or 12 (individual)")]
    InnLength,
    #[error("INN check digits do not match: there is a typo")]
    InnChecksum,
    #[error("KPP must have 9 characters: 4 digits, 2 digits or capital letters, 3 digits")]
    KppFormat,
    #[error("OGRN must have 13 digits (OGRNIP: 15)")]
    OgrnLength,
    #[error("OGRN check digit does not match: there is a typo")]
    OgrnChecksum,
    #[error("BIC must have 9 digits")]
    BicFormat,
    #[error("a bank account must have 20 digits")]
    AccountLength,
    #[error("the settlement account does not match the bank's BIC: check both")]
    SettlementAccountKey,
    #[error("the correspondent account does not match the bank's BIC: check both")]
    CorrespondentAccountKey,
}

fn digits(value: &str) -> Option<Vec<u32>> {
    value.chars().map(|c| c.to_digit(10)).collect()
}

fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 % 10
}

/// Checks an INN: 10 digits with one check digit, or 12 with two.
pub fn check_inn(inn: &str) -> Result<(), RequisiteError> {
    let d = digits(inn).ok_or(RequisiteError::InnLength)?;
    let valid = match d.len() {
        10 => weighted(&d, &[2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9],
        12 => {
            weighted(&d, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[10]
                && weighted(&d, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[11]
        }
        _ => return Err(RequisiteError::InnLength),
    };
    if valid {
        Ok(())
    } else {
        Err(RequisiteError::InnChecksum)
    }
}

/// KPP: tax office (4 digits), reason (2 digits or capital Latin letters), number (3 digits).
pub fn check_kpp(kpp: &str) -> Result<(), RequisiteError> {
    let chars: Vec<char> = kpp.chars().collect();
    let valid = chars.len() == 9
        && chars[..4].iter().all(char::is_ascii_digit)
        && chars[4..6]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && chars[6..].iter().all(char::is_ascii_digit);
    if valid {
        Ok(())
    } else {
        Err(RequisiteError::KppFormat)
    }
}

/// OGRN (13 digits) or OGRNIP (15): the last digit is the rest of the number modulo 11 (13).
pub fn check_ogrn(ogrn: &str) -> Result<(), RequisiteError> {
    // Only ASCII digits pass `digits`, so byte slicing below is on character boundaries.
    let (body, modulus) = match digits(ogrn).map(|d| d.len()) {
        Some(13) => (&ogrn[..12], 11),
        Some(15) => (&ogrn[..14], 13),
        _ => return Err(RequisiteError::OgrnLength),
    };
    let check = ogrn[body.len()..]
        .parse::<u64>()
        .map_err(|_| RequisiteError::OgrnLength)?;
    let body: u64 = body.parse().map_err(|_| RequisiteError::OgrnLength)?;
    if body % modulus % 10 == check {
        Ok(())
    } else {
        Err(RequisiteError::OgrnChecksum)
    }
}

pub fn check_bic(bic: &str) -> Result<(), RequisiteError> {
    match digits(bic) {
        Some(d) if d.len() == 9 => Ok(()),
        _ => Err(RequisiteError::BicFormat),
    }
}

/// The Bank of Russia control key: 23 digits weighted 7, 1, 3 repeating; the sum of the last
/// digits of the products must end in 0.
fn control_key_holds(prefix: &str, account: &str) -> bool {
    const WEIGHTS: [u32; 3] = [7, 1, 3];
    prefix
        .chars()
        .chain(account.chars())
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| (d * WEIGHTS[i % 3]) % 10)
        .sum::<u32>()
        % 10
        == 0
}

fn check_account_digits(account: &str) -> Result<(), RequisiteError> {
    match digits(account) {
        Some(d) if d.len() == 20 => Ok(()),
        _ => Err(RequisiteError::AccountLength),
    }
}

/// A settlement account at the bank with this BIC: keyed with the BIC's last three digits.
pub fn check_settlement_account(account: &str, bic: &str) -> Result<(), RequisiteError> {
    check_bic(bic)?;
    check_account_digits(account)?;
    if control_key_holds(&bic[6..9], account) {
        Ok(())
    } else {
        Err(RequisiteError::SettlementAccountKey)
    }
}

/// The bank's correspondent account: keyed with "0" and the BIC's fifth and sixth digits.
pub fn check_correspondent_account(account: &str, bic: &str) -> Result<(), RequisiteError> {
    check_bic(bic)?;
    check_account_digits(account)?;
    if control_key_holds(&format!("0{}", &bic[4..6]), account) {
        Ok(())
    } else {
        Err(RequisiteError::CorrespondentAccountKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequisiteError::*;

    #[test]
    fn inn() {
        let table = [
            ("7707083893", Ok(())),
            ("7736207543", Ok(())),
            ("500100732259", Ok(())),
            ("7707083894", Err(InnChecksum)),
            ("500100732258", Err(InnChecksum)),
            ("500100732249", Err(InnChecksum)),
            ("770708389", Err(InnLength)),
            ("77070838930", Err(InnLength)),
            ("77070838ЗЗ", Err(InnLength)),
            ("", Err(InnLength)),
        ];
        for (value, expected) in table {
            assert_eq!(check_inn(value), expected, "{value}");
        }
    }

    #[test]
    fn kpp() {
        let table = [
            ("773601001", Ok(())),
            ("7736AB001", Ok(())),
            ("7736ab001", Err(KppFormat)),
            ("77360100", Err(KppFormat)),
            ("7736010011", Err(KppFormat)),
            ("77З601001", Err(KppFormat)),
        ];
        for (value, expected) in table {
            assert_eq!(check_kpp(value), expected, "{value}");
        }
    }

    #[test]
    fn ogrn() {
        let table = [
            ("1027700132195", Ok(())),
            ("1027739850962", Ok(())),
            ("304500116000157", Ok(())),
            ("1027700132196", Err(OgrnChecksum)),
            ("304500116000158", Err(OgrnChecksum)),
            ("102770013219", Err(OgrnLength)),
            ("10277001321955", Err(OgrnLength)),
            ("1O27700132195", Err(OgrnLength)),
        ];
        for (value, expected) in table {
            assert_eq!(check_ogrn(value), expected, "{value}");
        }
    }

    #[test]
    fn bank_accounts_against_the_bic() {
        // Sberbank (Moscow) and T-Bank: real BICs and correspondent accounts.
        let table = [
            ("30101810400000000225", "044525225", true, Ok(())),
            ("30101810145250000974", "044525974", true, Ok(())),
            (
                "30101810400000000226",
                "044525225",
                true,
                Err(CorrespondentAccountKey),
            ),
            ("30101810500000000653", "044030653", true, Ok(())),
            (
                "30101810400000000225",
                "044030653",
                true,
                Err(CorrespondentAccountKey),
            ),
            ("40702810938000012345", "044525225", false, Ok(())),
            ("40702810538000054321", "044525225", false, Ok(())),
            (
                "40702810038000012345",
                "044525225",
                false,
                Err(SettlementAccountKey),
            ),
            (
                "40702810938000012345",
                "044525974",
                false,
                Err(SettlementAccountKey),
            ),
            (
                "4070281093800001234",
                "044525225",
                false,
                Err(AccountLength),
            ),
            ("40702810938000012345", "04452522", false, Err(BicFormat)),
            ("40702810938000012345", "04452522A", false, Err(BicFormat)),
        ];
        for (account, bic, correspondent, expected) in table {
            let result = if correspondent {
                check_correspondent_account(account, bic)
            } else {
                check_settlement_account(account, bic)
            };
            assert_eq!(result, expected, "{account} at {bic}");
        }
    }
}
