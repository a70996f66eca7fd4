# language: sv
Egenskap: Norrköpings sociala investeringsfond
  Norrköping prövar nya metoder (N1) mot social utestängning (N2). Fonden hade återföring
  fram till 2021; en ansökan som kom in 2022-01-01 eller senare prövas utan.

  Scenariomall: N1 Prövning av nya metoder – <fall>
    Givet ansökan "<underlag>"
    Och ansökan ändras så att:
      | fält                 | värde   |
      | intervention.novelty | <metod> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "N1" "<bedömning>"

    Exempel:
      | fall                                      | underlag   | metod       | bedömning    |
      | anpassad metod                            | norrkoping | adapted     | ingen        |
      | etablerad metod                           | norrkoping | established | avslagsgrund |

  Scenario: N1 gäller bara i Norrköping
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                 | värde       |
      | intervention.novelty | established |
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "beviljas"

  Scenariomall: N2 Motverkar social utestängning – <fall>
    Givet ansökan "norrkoping"
    Och ansökan ändras så att:
      | fält    | värde   |
      | <fält>  | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "N2" "<bedömning>"

    Exempel:
      | fall                                       | fält                                 | värde   | bedömning     |
      | riskkriterier och kostnadsposter finns     | expected_savings.0.cost_item         | Färre placeringar | ingen |
      | en besparingsrad saknar kostnadspost       | expected_savings.0.cost_item         | saknas  | komplettering |
      | riskkriterier saknas                       | target_group.risk_criteria           | saknas  | komplettering |

  Scenariomall: Norrköpings policyversion följer ansökningsdagen – <fall>
    Givet ansökan "norrkoping"
    Och ansökan ändras så att:
      | fält      | värde   |
      | submitted | <inkom> |
      | repayment | saknas  |
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "<beslut>"

    Exempel:
      | fall                                     | inkom      | beslut               |
      | 2021-12-31: återföring krävs             | 2021-12-31 | komplettering begärs |
      | 2022-01-01: återföringen är avskaffad    | 2022-01-01 | beviljas             |
