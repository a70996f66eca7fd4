# language: sv
Egenskap: Effekter i stället för kronor – besparingar som går att spåra (riktlinjerna 3.8, 3.13, 3.14 och avsnitt 5)
  En ansökan kan ange hur många färre placeringar, hushåll med försörjningsstöd eller andra
  kostnadsposter projektet väntas ge, i stället för en besparing i kronor. Fonden värderar
  effekterna med enhetskostnader som har datum och källa (policies/unit_costs.yaml), räknade
  om till beslutsårets priser med konsumentprisindex, och visar räkningen i beslutet.
  Känslighetsanalysen visar kvoten vid andra kalkylräntor och effektstorlekar, och vid vilken
  andel av effekten kalkylen går jämnt ut. Fondernas effektrapporter läggs samman per metod i
  en gemensam kunskapsbas, och den evidensnivå en metod har nått där gäller i nästa fond.

  Scenario: Tre färre HVB-placeringar om året från 2027 i stället för kronor
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält             | värde                                                                                                                                                   |
      | expected_savings | saknas                                                                                                                                                  |
      | expected_effects | [{cost_item: hvb_dygn_unga, committee: Socialnämnden, baseline_volume: 12, change_per_year: -3, units_per_case: 365, from_year: 2027, to_year: 2031}] |
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "beviljas"
    Och ger klausul "3.13" "ingen"
    Och ger klausul "3.14" "ingen"
    Och är besparingen för "Socialnämnden" år 2027 3 713 216 kr
    Och har "hvb_dygn_unga" källan "Helsingborgs stad, Årsredovisning 2016"
    Och är nytto-kostnadskvoten "2,57"
    Och är nytto-kostnadskvoten vid kalkylräntan 1,5 % "2,69"
    Och är nytto-kostnadskvoten vid kalkylräntan 5 % "2,48"
    Och är nytto-kostnadskvoten vid halva effekten "1,29"
    Och är nytto-kostnadskvoten vid dubbla effekten "5,14"
    Och går kalkylen jämnt ut vid "38,9 %" av den förväntade effekten

  Scenario: En placering färre under två år betalar inte tillbaka projektet
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält             | värde                                                                                                                                                  |
      | expected_savings | saknas                                                                                                                                                 |
      | expected_effects | [{cost_item: hvb_dygn_unga, committee: Socialnämnden, baseline_volume: 12, change_per_year: -1, units_per_case: 365, from_year: 2027, to_year: 2028}] |
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "avslag"
    Och ger klausul "3.14" "avslagsgrund"
    Och är nytto-kostnadskvoten "0,36"
    Och går kalkylen jämnt ut vid "277,4 %" av den förväntade effekten

  Scenario: Effekter och kronor läggs ihop, och kommunens nämnder med effekter ska åta sig återföring
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält             | värde                                                                                                                                                      |
      | expected_effects | [{cost_item: ekonomiskt_bistand_hushall_ar, committee: Arbetsmarknadsnämnden, baseline_volume: 40, change_per_year: -5, from_year: 2028, to_year: 2030}] |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "5.1" "komplettering"
    Och är besparingen för "Arbetsmarknadsnämnden" år 2028 363 744 kr
    Och har "ekonomiskt_bistand_hushall_ar" källan "Socialstyrelsen, Statistik om ekonomiskt bistånd 2022"

  Scenario: En effektrad utan utgångsvolym är ofullständig – besparingen räknas aldrig som noll
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält             | värde                                                                                                                 |
      | expected_savings | saknas                                                                                                                |
      | expected_effects | [{cost_item: familjehem_ar_barn, committee: Socialnämnden, change_per_year: -2, from_year: 2027, to_year: 2030}] |
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "komplettering begärs"
    Och ger klausul "3.13" "komplettering"
    Och ger klausul "3.14" "ingen"

  Scenario: Utan kunskapsbas räcker inte en låg angiven evidensnivå
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält                        | värde                 |
      | intervention.evidence_level | 1                     |
      | intervention.method         | hembesok_foraldrastod |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.8" "komplettering"

  Scenario: Tre fonders effektrapporter om samma metod gäller i en fjärde fond
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält                        | värde                 |
      | intervention.evidence_level | 1                     |
      | intervention.method         | hembesok_foraldrastod |
    Och fondernas kunskapsbas har effektrapporterna:
      | metod                 | fond       | ansökan      | år   | inkom      | design                    | mått            | skattning | nedre | övre  | uppföljning |
      | hembesok_foraldrastod | model      | MOD-2019-002 | 2022 | 2023-03-10 | quasi_random              | risk_difference | -0,05     | -0,09 | -0,01 | 24          |
      | hembesok_foraldrastod | norrkoping | NKP-2019-007 | 2022 | 2023-05-02 | difference_in_differences | risk_difference | -0,03     | -0,07 | 0,01  | 12          |
      | hembesok_foraldrastod | orebro     | ORE-2020-001 | 2023 | 2024-02-20 | rct                       | risk_difference | -0,06     | -0,10 | -0,02 | 6           |
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "beviljas"
    Och ger klausul "3.8" "anmärkning"
    Och har metoden "hembesok_foraldrastod" evidensnivå 4 i kunskapsbasen den "2025-06-01"
    Och visar skogsdiagrammet för "hembesok_foraldrastod" 3 rapporter och den sammanvägda effekten

  Scenario: Kunskapsbasen gäller som den såg ut på beslutsdagen
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält                        | värde                 |
      | intervention.evidence_level | 1                     |
      | intervention.method         | hembesok_foraldrastod |
    Och fondernas kunskapsbas har effektrapporterna:
      | metod                 | fond       | ansökan      | år   | inkom      | design | mått            | skattning | nedre | övre  | uppföljning |
      | hembesok_foraldrastod | orebro     | ORE-2020-001 | 2024 | 2025-08-20 | rct    | risk_difference | -0,06     | -0,10 | -0,02 | 6           |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.8" "komplettering"
    Och har metoden "hembesok_foraldrastod" evidensnivå 0 i kunskapsbasen den "2025-06-01"
    Och har metoden "hembesok_foraldrastod" evidensnivå 3 i kunskapsbasen den "2025-08-20"

  Scenario: Uppmätta effekter i en effektrapport blir verifierade besparingar med samma enhetskostnader
    Givet ansökan "model"
    Och en rapport:
      | fält             | värde                                                                                                  |
      | kind             | effect                                                                                                 |
      | period           | 2029                                                                                                   |
      | submitted        | 2029-10-01                                                                                             |
      | design           | quasi_random                                                                                           |
      | outcomes         | [{name: Andel barn med orosanmälan inom 24 månader, estimate: -0.04, ci_low: -0.07, ci_high: -0.01}] |
      | measured_effects | [{cost_item: familjehem_ar_barn, committee: Socialnämnden, year: 2029, change: -2}]                   |
    När fonden följer upp den "2029-12-01"
    Så ger klausul "5.3" "återföring"
    Och återför "Socialnämnden" 76691 kr budgetåret 2030
    Och återför "Socialnämnden" 76691 kr budgetåret 2032
