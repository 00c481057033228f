use super::costs::median;
use super::*;

#[rstest::rstest]
#[case("Community special school", Some(SettingKind::MaintainedSpecial))]
#[case("Foundation special school", Some(SettingKind::MaintainedSpecial))]
#[case("Academy special converter", Some(SettingKind::AcademySpecial))]
#[case("Academy special sponsor led", Some(SettingKind::AcademySpecial))]
#[case("Free schools special", Some(SettingKind::AcademySpecial))]
#[case("Non-maintained special school", Some(SettingKind::NonMaintainedSpecial))]
#[case("Other independent special school", Some(SettingKind::IndependentSpecial))]
#[case("Special post 16 institution", Some(SettingKind::SpecialistPost16))]
#[case("Other independent school", None)]
#[case("Community school", None)]
#[case("Academy converter", None)]
#[case("Further education", None)]
fn types_of_establishment_map_to_kinds(#[case] type_name: &str, #[case] kind: Option<SettingKind>) {
    assert_eq!(special_kind(type_name), kind);
}

/// Every other type of establishment in the register's file of 9 January 2025, as it spells
/// them (MastodonC/witan.gias, data/edubasealldata20250109-establishment-types.csv), is
/// not a special school: kept only for a resourced provision or SEN unit.
#[test]
fn the_registers_other_types_are_not_special_schools() {
    for t in [
        "Community school",
        "Voluntary aided school",
        "Voluntary controlled school",
        "Foundation school",
        "City technology college",
        "Other independent school",
        "Pupil referral unit",
        "Local authority nursery school",
        "Further education",
        "Secure units",
        "Offshore schools",
        "Service children's education",
        "Miscellaneous",
        "Academy sponsor led",
        "Higher education institutions",
        "Welsh establishment",
        "Sixth form centres",
        "Academy converter",
        "Free schools",
        "British schools overseas",
        "Free schools alternative provision",
        "Free schools 16 to 19",
        "University technical college",
        "Studio schools",
        "Academy alternative provision converter",
        "Academy alternative provision sponsor led",
        "Academy 16-19 converter",
        "Academy 16 to 19 sponsor led",
        "Online provider",
        "Institution funded by other government department",
        "Academy secure 16 to 19",
    ] {
        assert_eq!(special_kind(t), None, "{t}");
    }
}

#[rstest::rstest]
#[case("Resourced provision", true)]
#[case("SEN unit", true)]
#[case("Resourced provision and SEN unit", true)]
#[case("Not applicable", false)]
#[case("", false)]
fn units_are_found(#[case] text: &str, #[case] unit: bool) {
    assert_eq!(has_unit(text), unit);
}

#[rstest::rstest]
#[case("Open", true)]
#[case("Open, but proposed to close", true)]
#[case("Closed", false)]
#[case("Proposed to open", false)]
fn only_open_establishments_are_kept(#[case] status: &str, #[case] open: bool) {
    assert_eq!(is_open(status), open);
}

#[rstest::rstest]
#[case(2, 19, "early-years;primary;secondary;post-16")]
#[case(4, 11, "primary")]
#[case(3, 11, "early-years;primary")]
#[case(11, 16, "secondary")]
#[case(11, 19, "secondary;post-16")]
#[case(16, 19, "post-16")]
#[case(16, 25, "post-16")]
#[case(5, 16, "primary;secondary")]
#[case(20, 25, "")]
fn ages_give_phases_by_year_group(#[case] low: i32, #[case] high: i32, #[case] phases: &str) {
    assert_eq!(phases_for_ages(low, high, &DEFAULT_PHASE_YEAR_GROUPS).join(";"), phases);
}

#[test]
fn sen_provision_names_give_need_codes() {
    let declared: Vec<String> = NEED_CODES.iter().map(ToString::to_string).collect();
    assert_eq!(need_of("ASD - Autistic Spectrum Disorder", &declared), Ok(Some("ASD")));
    assert_eq!(need_of("SEMH - Social, Emotional and Mental Health", &declared), Ok(Some("SEMH")));
    assert_eq!(need_of("SpLD - Specific Learning Difficulty", &declared), Ok(Some("SpLD")));
    assert_eq!(need_of("OTH - Other Difficulty/Disability", &declared), Ok(Some("OTH")));
    // The other eight, as MastodonC/witan.gias (src/witan/gias.clj) spells them.
    for (value, code) in [
        ("SLCN - Speech, language and Communication", "SLCN"),
        ("MLD - Moderate Learning Difficulty", "MLD"),
        ("SLD - Severe Learning Difficulty", "SLD"),
        ("PMLD - Profound and Multiple Learning Difficulty", "PMLD"),
        ("HI - Hearing Impairment", "HI"),
        ("VI - Visual Impairment", "VI"),
        ("MSI - Multi-Sensory Impairment", "MSI"),
        ("PD - Physical Disability", "PD"),
    ] {
        assert_eq!(need_of(value, &declared), Ok(Some(code)), "{value}");
    }
    assert_eq!(need_of("Not Applicable", &declared), Ok(None));
    assert_eq!(need_of("", &declared), Ok(None));
    assert_eq!(need_of("BESD - Behaviour, Emotional and Social Difficulties", &declared), Err("BESD".into()));
}

/// A name from the register that a spreadsheet would read as a formula is written as text.
#[test]
fn cells_from_the_register_cannot_start_a_formula() {
    let setting = Imported {
        urn: "100001".into(),
        name: "=HYPERLINK(\"x\")".into(),
        kind: SettingKind::MaintainedSpecial,
        position: LatLon { latitude: 53.1, longitude: -2.4 },
        in_borough: true,
        places: 10.0,
        phases: vec!["primary".into()],
        needs: Vec::new(),
        la: ("895".into(), "-Cheshire East".into()),
        type_name: "Community special school".into(),
    };
    let import = Import {
        borough: ("895".into(), "Cheshire East".into()),
        borough_from: String::new(),
        settings: vec![setting],
        costs: Vec::new(),
        warnings: Vec::new(),
        left_out: BTreeMap::new(),
        all_phases: vec!["primary".into(), "secondary".into()],
    };
    let text = import.settings_csv();
    let row = text.lines().nth(1).expect("a row");
    assert!(row.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{row}");
    assert!(row.contains(",'-Cheshire East,"), "{row}");
    assert!(row.contains(",10,primary,all,"), "{row}");
}

/// The defaults are the sample authority's medians, as documented.
#[test]
fn default_costs_are_the_samples_medians() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/cheshire-east.toml");
    let model = crate::model::input::load(&path).expect("the sample loads");
    for (kind, pounds) in DEFAULT_COST {
        let mut v: Vec<f64> =
            model.settings.iter().filter(|s| s.kind == kind).map(|s| s.cost_per_place.pounds()).collect();
        v.sort_by(f64::total_cmp);
        assert_eq!(median(&v), Some(pounds), "{kind:?}");
    }
}

/// The table written is the settings table as the schema gives it (its template columns, in
/// order), then notes the loader ignores, none of them a column of the schema: a column added
/// to the settings table fails here until the import writes it.
#[test]
fn the_header_written_is_the_schemas_settings_then_notes() {
    let spec = crate::model::input::schema::table("settings");
    let template: Vec<&str> = spec.columns.iter().filter(|c| c.in_template).map(|c| c.name).collect();
    assert_eq!(HEADER[..template.len()], template[..]);
    for note in &HEADER[template.len()..] {
        assert!(spec.columns.iter().all(|c| c.name != *note), "{note} is a settings column");
    }
}
