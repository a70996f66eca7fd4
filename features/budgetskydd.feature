# language: sv
Egenskap: Budgetskydd – fonden får aldrig ersätta ordinarie budget (riktlinjerna avsnitt 6)
  Fonden ska komma utöver nämndernas ordinarie budgetar, aldrig i stället för dem:
  inga neddragningar "i andra änden" som fonden får täcka.

  Scenariomall: 6.1 Ingen ersättning av ordinarie finansiering – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                           | värde     |
      | budget_context.cost_centres.+  | <ställe>  |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "6.1" "<bedömning>"

    Exempel:
      | fall                                                   | ställe                                                                                                              | bedömning     |
      | projektet betalar ett ställe som hade ordinarie medel  | {name: Fritidsgård, previous_sek: 500000, current_sek: 0, target_area: false, funded_by_project: true}               | avslagsgrund  |
      | projektet betalar ett nytt ställe                      | {name: Fritidsgård, previous_sek: 0, current_sek: 0, target_area: false, funded_by_project: true}                    | ingen         |
      | det framgår inte vem som betalar                       | {name: Fritidsgård, previous_sek: 500000, current_sek: 500000, target_area: false}                                   | komplettering |

  Scenario: 6.1 prövas inte när ansökan inte redovisar några kostnadsställen
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                        | värde  |
      | budget_context.cost_centres | saknas |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "6.1" "ingen"
    Och klausul "6.4" ger "komplettering"

  Scenariomall: 6.2 Ordinarie budgetar redovisade – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                      | värde       |
      | budget_context.committees | <nämnder>   |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "6.2" "<bedömning>"

    Exempel:
      | fall                                | nämnder                                                                                                                                           | bedömning     |
      | båda nämndernas budgetar finns      | [{name: Socialnämnden, previous_sek: 1210000000, current_sek: 1262000000}, {name: Förskolenämnden, previous_sek: 980000000, current_sek: 1003000000}] | ingen         |
      | Förskolenämndens budget saknas      | [{name: Socialnämnden, previous_sek: 1210000000, current_sek: 1262000000}]                                                                          | komplettering |
      | budgetunderlaget saknas             | saknas                                                                                                                                            | komplettering |

  Scenariomall: 6.3 Ingen real neddragning av ordinarie budget – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                                   | värde   |
      | budget_context.price_change            | <pris>  |
      | budget_context.committees.1.current_sek | <budget> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "6.3" "<bedömning>"

    Exempel: Förskolenämnden hade 980 000 000 kr förra året; högst 2 % real minskning
      | fall                                               | pris   | budget     | bedömning |
      | oförändrad real budget                             | 0.025  | 1004500000 | ingen     |
      | exakt 2 % real minskning                           | 0.025  | 984410000  | ingen     |
      | drygt 5 % real minskning                           | 0.025  | 950000000  | villkor   |
      | ingen egen omräkning: standardvärdet 2 % gäller    | saknas | 979000000  | villkor   |

  Scenario: 6.3 En real neddragning anmäls till kommunfullmäktige
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                                    | värde     |
      | budget_context.committees.1.current_sek | 950000000 |
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "beviljas med villkor"
    Och innehåller brevet "Beslutet anmäls till kommunfullmäktige"
    Och innehåller brevet "den ordinarie budgeten för Förskolenämnden minskar realt med 5,43 % (beräknat)"

  Scenariomall: 6.4 Ingen kvittning i målområdet – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                          | värde    |
      | budget_context.cost_centres   | <ställen> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "6.4" "<bedömning>"

    Exempel: Största årliga bidrag är 1 800 000 kr; en neddragning om hälften, 900 000 kr, är kvittning
      | fall                                         | ställen                                                                                                            | bedömning     |
      | neddragning med exakt 900 000 kr             | [{name: Familjestöd, previous_sek: 4200000, current_sek: 3300000, target_area: true, funded_by_project: false}]     | avslagsgrund  |
      | neddragning med 899 999 kr                   | [{name: Familjestöd, previous_sek: 4200000, current_sek: 3300001, target_area: true, funded_by_project: false}]     | ingen         |
      | neddragning utanför målområdet               | [{name: Familjestöd, previous_sek: 4200000, current_sek: 0, target_area: false, funded_by_project: false}]         | ingen         |
      | en tom lista: det finns inga kostnadsställen | []                                                                                                                 | ingen         |
      | förra årets budget saknas                    | [{name: Familjestöd, current_sek: 3300000, target_area: true, funded_by_project: false}]                            | komplettering |
