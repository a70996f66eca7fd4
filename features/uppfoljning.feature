# language: sv
Egenskap: Uppföljning – rapporter, rekrytering och återföring efter beslutet (riktlinjerna 5.3–5.6 och 7)
  Ett beviljat projekt lämnar lägesrapporter för varje kalenderår senast 31 mars året efter,
  en slutrapport sex månader efter slutet och effektrapporter. Underlaget "model" löper
  2025-09-01 – 2028-08-31 med 320 personer i målgruppen och 5 700 000 kr ur fonden;
  Socialnämnden återför 75 % och Förskolenämnden 50 % av verifierade besparingar.
  Belopp är hela kronor: varje belopp avrundas till närmaste krona (en halv krona uppåt) och
  fördelas så jämnt som möjligt, med de extra kronorna på de tidigare åren. Taket för all
  återföring är fondens medel (5 700 000 kr); när taket nås delas det återstående utrymmet
  mellan rapportens nämnder i proportion till vad var och en skulle ha återfört utan tak.

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

  Scenariomall: 7.1 Slutrapporten ska komma in sex månader efter slutet – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält | värde      |
      | end  | 2028-06-30 |
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
      | enrolled  | 170        |
    Och en rapport:
      | fält      | värde      |
      | kind      | progress   |
      | period    | 2027       |
      | submitted | 2028-03-20 |
      | enrolled  | 300        |
    När fonden följer upp den "<dag>"
    Så ger klausul "7.1" "<bedömning>"

    Exempel: Projektet slutar 2028-06-30; slutrapporten ska ha kommit in senast 2028-12-30
      | fall                                 | dag        | bedömning              |
      | på sista dagen är den inte försenad  | 2028-12-30 | ingen                  |
      | dagen efter är den försenad          | 2028-12-31 | utbetalning hålls inne |

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

  Scenario: 7.2 Prövningen avslutas när en senare rapport visar minst halva målgruppen
    Givet ansökan "model"
    Och en rapport:
      | fält      | värde      |
      | kind      | progress   |
      | period    | 2026       |
      | submitted | 2027-03-20 |
      | enrolled  | 150        |
    Och en rapport:
      | fält      | värde      |
      | kind      | progress   |
      | period    | 2027       |
      | submitted | 2028-03-15 |
      | enrolled  | 170        |
    När fonden följer upp den "2028-03-20"
    Så ger klausul "7.2" "meddelande"

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

  Scenario: 5.4 Hela kronor: 500 000 kr över tre år är 166 667, 166 667 och 166 666 kr
    Givet ansökan "model"
    Och en rapport:
      | fält             | värde                                                          |
      | kind             | effect                                                         |
      | period           | 2029                                                           |
      | submitted        | 2029-10-01                                                     |
      | design           | rct                                                            |
      | outcomes         | [{name: Andel barn med orosanmälan inom 24 månader, ci_low: -0.05, ci_high: -0.01}] |
      | verified_savings | [{committee: Förskolenämnden, year: 2029, sek: 1000000}]        |
    När fonden följer upp den "2029-12-01"
    Så ger klausul "5.3" "återföring"
    Och återför "Förskolenämnden" 166667 kr budgetåret 2030
    Och återför "Förskolenämnden" 166667 kr budgetåret 2031
    Och återför "Förskolenämnden" 166666 kr budgetåret 2032

  Scenario: 5.4 När taket nås delas utrymmet i proportion mellan nämnderna
    Givet ansökan "model"
    Och en rapport:
      | fält             | värde                                                          |
      | kind             | effect                                                         |
      | period           | 2029                                                           |
      | submitted        | 2029-10-01                                                     |
      | design           | rct                                                            |
      | outcomes         | [{name: Andel barn med orosanmälan inom 24 månader, ci_low: -0.05, ci_high: -0.01}] |
      | verified_savings | [{committee: Socialnämnden, year: 2029, sek: 8000000}, {committee: Förskolenämnden, year: 2029, sek: 2000000}] |
    När fonden följer upp den "2029-12-01"
    Så ger klausul "5.3" "återföring"
    Och delas utrymmet 5700000 kr under taket i proportion
    Och återför "Socialnämnden" sammanlagt 4885714 kr
    Och återför "Förskolenämnden" sammanlagt 814286 kr
    Och återför "Förskolenämnden" 271429 kr budgetåret 2030
    Och återför "Förskolenämnden" 271428 kr budgetåret 2032

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
