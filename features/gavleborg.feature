# language: sv
Egenskap: Region Gävleborgs sociala investeringsfond
  Regionen medfinansierar högst hälften och högst 500 000 kr per år. Sedan 2024 bygger en
  ansökan på ett godkänt idébeslut (G1), och varje sökande organisation skriver under
  implementeringsplanen (G2).

  Scenariomall: G1 Godkänt idébeslut – <fall>
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält          | värde    |
      | idea_decision | <beslut> |
      | submitted     | <inkom>  |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "G1" "<bedömning>"

    Exempel: Idébeslut krävs för ansökningar från 2024-01-01
      | fall                                   | beslut      | inkom      | bedömning     |
      | idébeslut anges                        | RS 2024/117 | 2025-03-03 | ingen         |
      | idébeslut saknas 2025                  | saknas      | 2025-03-03 | komplettering |
      | idébeslut saknas, inkommen 2024-01-01  | saknas      | 2024-01-01 | komplettering |
      | idébeslut saknas, inkommen 2023-12-31  | saknas      | 2023-12-31 | ingen         |

  Scenariomall: G2 Alla sökande har undertecknat – <fall>
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält                                     | värde   |
      | implementation.signed_by_all_applicants | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "G2" "<bedömning>"

    Exempel:
      | fall                       | värde  | bedömning     |
      | alla har undertecknat      | true   | ingen         |
      | inte alla                  | false  | komplettering |
      | det framgår inte           | saknas | komplettering |

  Scenario: 6.3 I en region anmäls en real neddragning till regionfullmäktige
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält                                    | värde     |
      | budget_context.committees.1.current_sek | 950000000 |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "6.3" "villkor"
    Och innehåller brevet "Beslutet anmäls till regionfullmäktige"
    Och innehåller brevet "Förvaltningsrätten i Falun"
