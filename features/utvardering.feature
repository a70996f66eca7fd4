# language: sv
Egenskap: Utvärdering – krav på utvärderingen (riktlinjerna avsnitt 4)
  Varje projekt utvärderas med en trovärdig design, så att fonden vet om insatsen fungerar.
  Brister i designen blir villkor före utbetalning; saknade uppgifter blir komplettering.

  Scenariomall: 4.1 Primära utfallsmått – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                           | värde   |
      | evaluation.primary_outcomes    | <mått>  |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "4.1" "<bedömning>"

    Exempel:
      | fall                     | mått                                                                                                                                                                                                                                                     | bedömning     |
      | ett mått                 | [{name: Orosanmälan, data_source: Register, baseline: {value: 0.14, period: "2024"}}]                                                                                                                                                                      | ingen         |
      | inget mått               | []                                                                                                                                                                                                                                                       | komplettering |
      | måtten är inte angivna   | saknas                                                                                                                                                                                                                                                   | komplettering |
      | tre mått                 | [{name: A, data_source: R, baseline: {value: 1, period: "2024"}}, {name: B, data_source: R, baseline: {value: 1, period: "2024"}}, {name: C, data_source: R, baseline: {value: 1, period: "2024"}}]                                                         | ingen         |
      | fyra mått                | [{name: A, data_source: R, baseline: {value: 1, period: "2024"}}, {name: B, data_source: R, baseline: {value: 1, period: "2024"}}, {name: C, data_source: R, baseline: {value: 1, period: "2024"}}, {name: D, data_source: R, baseline: {value: 1, period: "2024"}}] | villkor       |

  Scenariomall: 4.2 Datakälla och utgångsvärde – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält    | värde   |
      | <fält>  | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "4.2" "<bedömning>"

    Exempel:
      | fall                               | fält                                                  | värde          | bedömning     |
      | datakälla och utgångsvärde finns   | evaluation.primary_outcomes.0.data_source             | Verksamhetssystemet | ingen     |
      | datakälla saknas                   | evaluation.primary_outcomes.0.data_source             | saknas         | komplettering |
      | perioden för utgångsvärdet saknas  | evaluation.primary_outcomes.1.baseline.period         | saknas         | komplettering |

  Scenariomall: 4.3 Utvärderingsdesign – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                 | värde    |
      | evaluation.design    | <design> |
      | intervention.novelty | <metod>  |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "4.3" "<bedömning>"

    Exempel: Nya och anpassade metoder kräver minst nivå 3 på Marylandskalan, etablerade minst nivå 2
      | fall                                        | design             | metod       | bedömning     |
      | kvasiexperiment (nivå 4)                    | quasi_random       | adapted     | ingen         |
      | matchad jämförelsegrupp (nivå 3) vid gränsen | matched_comparison | adapted     | ingen         |
      | jämförelsegrupp (nivå 2) för anpassad metod | comparison_group   | adapted     | villkor       |
      | jämförelsegrupp (nivå 2) för etablerad metod | comparison_group  | established | ingen         |
      | före- och eftermätning för etablerad metod  | pre_post           | established | villkor       |
      | ingen utvärdering                           | none               | adapted     | komplettering |
      | designen är inte angiven                    | saknas             | adapted     | komplettering |

  Scenariomall: 4.4 Statistisk styrka – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                             | värde         |
      | evaluation.design                | <design>      |
      | evaluation.sample                | <urval>       |
      | evaluation.expected_effect_size  | <effekt>      |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "4.4" "<bedömning>"

    Exempel: Med 160 i varje grupp är minsta detekterbara effekt 0,3132267… (jämförelsen görs med det oavrundade värdet)
      | fall                                               | design       | urval                             | effekt              | bedömning     |
      | effekten är större än den minsta detekterbara      | quasi_random | {treatment: 160, comparison: 160} | 0.35                | ingen         |
      | effekten är exakt den minsta detekterbara          | quasi_random | {treatment: 160, comparison: 160} | 0.31322674962295854 | ingen         |
      | effekten är den avrundade, något mindre            | quasi_random | {treatment: 160, comparison: 160} | 0.3132              | villkor       |
      | för litet urval                              | quasi_random | {treatment: 50, comparison: 50}     | 0.35   | villkor       |
      | förväntad effekt är inte angiven             | quasi_random | {treatment: 160, comparison: 160}   | saknas | komplettering |
      | urvalet är inte angivet                      | quasi_random | saknas                              | 0.35   | komplettering |
      | före- och eftermätning prövas inte för styrka | pre_post    | saknas                              | saknas | ingen         |

  Scenariomall: 4.5 Uppföljningstid – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                        | värde      |
      | evaluation.follow_up_months | <månader>  |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "4.5" "<bedömning>"

    Exempel:
      | fall              | månader | bedömning     |
      | 24 månader        | 24      | ingen         |
      | 23 månader        | 23      | villkor       |
      | inte angiven      | saknas  | komplettering |

  Scenariomall: 4.6 Oberoende utvärderare – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                       | värde      |
      | evaluation.evaluator       | <utvärderare> |
      | budget                     | [{year: 2025, fund_sek: <belopp>, own_sek: 3000000, purpose: Allt}] |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "4.6" "<bedömning>"

    Exempel: Från 3 000 000 kr ur fonden ska utvärderaren vara oberoende av de sökande
      | fall                                      | utvärderare                              | belopp  | bedömning     |
      | intern utvärderare, precis vid beloppet   | {name: Utvecklingsenheten, kind: internal} | 3000000 | villkor       |
      | intern utvärderare, en krona under        | {name: Utvecklingsenheten, kind: internal} | 2999999 | ingen         |
      | universitet                               | {name: Linköpings universitet, kind: university} | 5000000 | ingen  |
      | utvärderaren är inte angiven              | saknas                                   | 5000000 | komplettering |

  Scenariomall: 4.7 Utvärderingsbudget – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                 | värde    |
      | evaluation.budget_sek | <budget> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "4.7" "<bedömning>"

    Exempel: Minst 5 % av 5 700 000 kr är 285 000 kr
      | fall                | budget | bedömning     |
      | exakt 5 %           | 285000 | ingen         |
      | en krona för lite   | 284999 | villkor       |
      | inte angiven        | saknas | komplettering |

  Scenariomall: 4.8 Mänskliga och ekonomiska utfall – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                         | värde       |
      | evaluation.human_outcomes    | <mänskliga> |
      | evaluation.economic_outcomes | <ekonomiska> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "4.8" "<bedömning>"

    Exempel:
      | fall                       | mänskliga | ekonomiska | bedömning     |
      | båda mäts                  | true      | true       | ingen         |
      | ekonomiska utfall mäts inte | true     | false      | villkor       |
      | det framgår inte           | saknas    | true       | komplettering |
