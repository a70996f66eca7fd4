# language: sv
Egenskap: Uppföljning – rapporter, rekrytering och återföring efter beslutet (riktlinjerna 5.3–5.6 och 7)
  Ett beviljat projekt lämnar lägesrapporter för varje kalenderår senast 31 mars året efter,
  en slutrapport sex månader efter slutet och effektrapporter. Underlaget "model" löper
  2025-09-01 – 2028-08-31 med 320 personer i målgruppen och 5 700 000 kr ur fonden;
  Socialnämnden återför 75 % och Förskolenämnden 50 % av verifierade besparingar.

  Scenariomall: 7.1 Försenad rapport – <fall>
    Givet ansökan "model"
    När fonden följer upp den "<dag>"
    Så ger klausul "7.1" "<bedömning>"

    Exempel: Lägesrapporten för 2025 ska ha kommit in senast 2026-03-31
      | fall                                 | dag        | bedömning              |
      | på sista dagen är den inte försenad  | 2026-03-31 | ingen                  |
      | dagen efter är den försenad          | 2026-04-01 | utbetalning hålls inne |

  Scenario: 7.1 En rapport som kom in sent noteras, och utbetalningen släpps
    Givet ansökan "model"
    Och en rapport:
      | fält      | värde      |
      | kind      | progress   |
      | period    | 2025       |
      | submitted | 2026-04-15 |
      | enrolled  | 40         |
    När fonden följer upp den "2026-05-01"
    Så ger klausul "7.1" "meddelande"

  Scenariomall: 7.2 Rekrytering vid halvtid – <fall>
    Givet ansökan "model"
    Och en rapport:
      | fält      | värde      |
      | kind      | progress   |
      | period    | 2025       |
      | submitted | 2026-03-20 |
      | enrolled  | 40         |
    Och en rapport:
      | fält      | värde      |
      | kind      | progress   |
      | period    | 2026       |
      | submitted | 2027-03-20 |
      | enrolled  | <nådda>    |
    När fonden följer upp den "2027-04-01"
    Så ger klausul "7.2" "<bedömning>"

    Exempel: Halvtid är 2027-03-01; hälften av 320 är 160
      | fall                         | nådda  | bedömning     |
      | precis hälften               | 160    | ingen         |
      | en person för lite           | 159    | prövning      |
      | antalet nådda är inte angivet | saknas | komplettering |

  Scenariomall: 5.3 och 5.5 Effektrapporten – <fall>
    Givet ansökan "model"
    Och en rapport:
      | fält             | värde                                                          |
      | kind             | effect                                                         |
      | period           | 2029                                                           |
      | submitted        | 2029-10-01                                                     |
      | design           | <design>                                                       |
      | outcomes         | [{name: Andel barn med orosanmälan inom 24 månader, ci_low: <lägsta>, ci_high: <högsta>}] |
      | verified_savings | [{committee: Socialnämnden, year: 2029, sek: 3000000}]          |
    När fonden följer upp den "2029-12-01"
    Så ger klausul "5.3" "<utlöser>"
    Och ger klausul "5.5" "<ingen effekt>"

    Exempel:
      | fall                                      | design       | lägsta | högsta | utlöser       | ingen effekt |
      | intervallet utesluter noll                 | quasi_random | -0.05  | -0.01  | återföring    | ingen        |
      | intervallet slutar precis i noll           | quasi_random | -0.05  | 0.0    | ingen         | meddelande   |
      | för svag design                            | pre_post     | -0.05  | -0.01  | meddelande    | ingen        |
      | designen är inte angiven                   | saknas       | -0.05  | -0.01  | komplettering | ingen        |

  Scenario: 5.4 Återföringen fördelas på tre budgetår från året efter rapporten
    Givet ansökan "model"
    Och en rapport:
      | fält             | värde                                                          |
      | kind             | effect                                                         |
      | period           | 2029                                                           |
      | submitted        | 2029-10-01                                                     |
      | design           | rct                                                            |
      | outcomes         | [{name: Andel barn med orosanmälan inom 24 månader, ci_low: -0.05, ci_high: -0.01}] |
      | verified_savings | [{committee: Socialnämnden, year: 2029, sek: 3000000}, {committee: Förskolenämnden, year: 2029, sek: 600000}] |
    När fonden följer upp den "2029-12-01"
    Så ger klausul "5.3" "återföring"
    Och återför "Socialnämnden" 750000 kr budgetåret 2030
    Och återför "Socialnämnden" 750000 kr budgetåret 2032
    Och återför "Förskolenämnden" 100000 kr budgetåret 2031

  Scenariomall: 5.6 Besparingar utanför kommunen – <fall>
    Givet ansökan "model"
    Och en rapport:
      | fält             | värde                                                          |
      | kind             | effect                                                         |
      | period           | 2029                                                           |
      | submitted        | 2029-10-01                                                     |
      | design           | rct                                                            |
      | outcomes         | [{name: Andel barn med orosanmälan inom 24 månader, ci_low: -0.05, ci_high: 0.01}] |
      | verified_savings | <besparingar>                                                  |
    När fonden följer upp den "2029-12-01"
    Så ger klausul "5.6" "<bedömning>"
    Och återförs ingenting

    Exempel:
      | fall                          | besparingar                                                                | bedömning  |
      | besparingar hos regionen       | [{committee: Region Östergötland, scope: region, year: 2029, sek: 900000}] | meddelande |
      | inga besparingar utanför       | [{committee: Socialnämnden, year: 2029, sek: 100000}]                       | ingen      |
