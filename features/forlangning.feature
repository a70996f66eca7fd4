# language: sv
Egenskap: Förlängning av ett projekt (riktlinjerna 7.3)
  Ett projekt förlängs högst en gång, med högst tolv månader. Ansökan om förlängning lämnas
  i en uppföljningsrapport och prövas den dag rapporten kommer in, i den ordning ansökningarna
  kom in. En beviljad förlängning flyttar projektets slut räknat som i §2 (ett projekt som
  slutar 2028-08-31 och förlängs med sex månader slutar 2029-02-28), och med det sista dag för
  rapporterna och de utbetalningar som återstår. Underlaget "model" löper 2025-09-01 – 2028-08-31.

  Scenario: 7.3 En första förlängning beviljas och flyttar projektets slut
    Givet ansökan "model"
    Och en rapport:
      | fält      | värde                                                        |
      | kind      | progress                                                     |
      | period    | 2025                                                         |
      | submitted | 2026-03-20                                                   |
      | enrolled  | 60                                                           |
      | extension | {months: 6, reason: Rekryteringen tog längre tid än planerat} |
    När fonden följer upp den "2026-04-01"
    Så ger klausul "7.3" "förlängning beviljas"
    Och slutar projektet "2029-02-28"

  Scenario: 7.3 En andra förlängning avslås: projektet har redan förlängts en gång
    Givet ansökan "model"
    Och en rapport:
      | fält      | värde                                                        |
      | kind      | progress                                                     |
      | period    | 2025                                                         |
      | submitted | 2026-03-20                                                   |
      | enrolled  | 60                                                           |
      | extension | {months: 6, reason: Rekryteringen tog längre tid än planerat} |
    Och en rapport:
      | fält      | värde                                              |
      | kind      | progress                                           |
      | period    | 2026                                               |
      | submitted | 2027-03-15                                         |
      | enrolled  | 170                                                |
      | extension | {months: 6, reason: Skolan byggs om under våren}   |
    När fonden följer upp den "2027-04-01"
    Så ger klausul "7.3" "förlängning avslås"
    Och slutar projektet "2029-02-28"

  Scenariomall: 7.3 En förlängning är högst tolv månader – <fall>
    Givet ansökan "model"
    Och en rapport:
      | fält      | värde                                                 |
      | kind      | progress                                              |
      | period    | 2025                                                  |
      | submitted | 2026-03-20                                            |
      | enrolled  | 60                                                    |
      | extension | {months: <månader>, reason: Rekryteringen tog längre tid} |
    När fonden följer upp den "2026-04-01"
    Så ger klausul "7.3" "<bedömning>"
    Och slutar projektet "<slut>"

    Exempel:
      | fall              | månader | bedömning            | slut       |
      | precis tolv       | 12      | förlängning beviljas | 2029-08-31 |
      | en månad för mycket | 13    | förlängning avslås   | 2028-08-31 |

  Scenario: 7.3 En förlängning som inte har kommit in per uppföljningsdagen räknas inte
    Givet ansökan "model"
    Och en rapport:
      | fält      | värde                                                        |
      | kind      | progress                                                     |
      | period    | 2025                                                         |
      | submitted | 2026-03-20                                                   |
      | enrolled  | 60                                                           |
      | extension | {months: 6, reason: Rekryteringen tog längre tid än planerat} |
    När fonden följer upp den "2026-03-19"
    Så ger klausul "7.3" "ingen"
    Och slutar projektet "2028-08-31"

  Scenario: 7.3 En fond som tillåter två förlängningar beviljar också den andra
    Givet ansökan "model"
    Och fondens parameter "followup.max_extensions" är 2 från "2015-01-01"
    Och en rapport:
      | fält      | värde                                                        |
      | kind      | progress                                                     |
      | period    | 2025                                                         |
      | submitted | 2026-03-20                                                   |
      | enrolled  | 60                                                           |
      | extension | {months: 6, reason: Rekryteringen tog längre tid än planerat} |
    Och en rapport:
      | fält      | värde                                              |
      | kind      | progress                                           |
      | period    | 2026                                               |
      | submitted | 2027-03-15                                         |
      | enrolled  | 170                                                |
      | extension | {months: 6, reason: Skolan byggs om under våren}   |
    När fonden följer upp den "2027-04-01"
    Så ger klausul "7.3" "förlängning beviljas"
    Och slutar projektet "2029-08-31"
