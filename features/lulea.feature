# language: sv
Egenskap: Luleås sociala investeringsmedel (långsiktiga projekt)
  Luleå betalar högst 70 % av kostnaden och högst 1 000 000 kr per år, och har ingen återföring.

  Scenariomall: Luleås andel och årliga tak – <fall>
    Givet ansökan "lulea"
    Och ansökan ändras så att:
      | fält              | värde    |
      | budget.1.fund_sek | <fonden> |
      | budget.1.own_sek  | <egen>   |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "<klausul>" "<bedömning>"

    Exempel:
      | fall                                   | fonden  | egen   | klausul | bedömning    |
      | 1 000 000 kr ett år: precis vid taket  | 1000000 | 500000 | 3.10    | ingen        |
      | 1 000 001 kr ett år                    | 1000001 | 500000 | 3.10    | avslagsgrund |
      | fonden betalar 69 %                    | 900000  | 400000 | 3.9     | ingen        |
      | fonden betalar över 70 % totalt        | 900000  | 0      | 3.9     | avslagsgrund |

  Scenario: Ett beslut i Luleå har ingen återföring i brevet
    Givet ansökan "lulea"
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "beviljas"
    Och innehåller brevet "Förvaltningsrätten i Luleå"
    Och innehåller brevet "Luleå kommun, 971 85 Luleå"
