# language: sv
Egenskap: Behörighet – vem och vad fonden finansierar (riktlinjerna avsnitt 3)
  Fonden finansierar förebyggande och tidiga insatser som flera nämnder driver tillsammans.
  Varje regel visas här när den slår till, när den inte gör det (också precis vid gränsen)
  och när ansökan saknar en uppgift som regeln behöver: då begärs komplettering.
  Underlaget "model" är en ansökan som uppfyller riktlinjerna i alla delar.

  Scenariomall: 3.1 Huvudsökande – <fall>
    Givet ansökan "<underlag>"
    Och ansökan ändras så att:
      | fält                | värde |
      | applicant.lead.kind | <typ> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.1" "<bedömning>"

    Exempel:
      | fall                                      | underlag  | typ           | bedömning    |
      | en kommunal nämnd leder projektet         | model     | municipal     | ingen        |
      | en region leder projektet                 | model     | region        | avslagsgrund |
      | en förening leder projektet               | model     | civil_society | avslagsgrund |
      | i Gävleborg får en idéburen förening leda | gavleborg | civil_society | ingen        |

  Scenariomall: 3.2 Samverkan – <fall>
    Givet ansökan "<underlag>"
    Och ansökan ändras så att:
      | fält               | värde      |
      | applicant.partners | <partners> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.2" "<bedömning>"

    Exempel:
      | fall                                                | underlag   | partners                                                    | bedömning     |
      | två nämnder samverkar                               | model      | [{name: Förskolenämnden, kind: municipal}]                  | ingen         |
      | en nämnd ensam                                      | model      | []                                                          | avslagsgrund  |
      | samma nämnd två gånger räknas en gång               | model      | [{name: Socialnämnden, kind: municipal}]                    | avslagsgrund  |
      | en nämnd och en idéburen förening räcker i modellen | model      | [{name: Föreningen, kind: civil_society, non_profit: true}] | ingen         |
      | men inte i Norrköping                               | norrkoping | [{name: Föreningen, kind: civil_society, non_profit: true}] | avslagsgrund  |
      | det är okänt om föreningen är idéburen              | model      | [{name: Föreningen, kind: civil_society}]                   | komplettering |
      | i Gävleborg räknas regionen som samverkanspart      | gavleborg  | [{name: Region Gävleborg, kind: region}]                    | ingen         |

  Scenariomall: 3.3 Inga företag eller vinstdrivande partner – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                 | värde     |
      | applicant.partners.+ | <partner> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.3" "<bedömning>"

    Exempel:
      | fall                                | partner                                                    | bedömning     |
      | ett företag är partner              | {name: Bolaget AB, kind: company, non_profit: false}       | avslagsgrund  |
      | en vinstdrivande förening           | {name: Stiftelsen, kind: civil_society, non_profit: false} | avslagsgrund  |
      | en idéburen förening                | {name: Föreningen, kind: civil_society, non_profit: true}  | ingen         |
      | det framgår inte om den är idéburen | {name: Föreningen, kind: civil_society}                    | komplettering |

  Scenariomall: 3.4 Målgruppen – <fall>
    Givet ansökan "<underlag>"
    Och ansökan ändras så att:
      | fält   | värde   |
      | <fält> | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.4" "<bedömning>"

    Exempel:
      | fall                                  | underlag   | fält                       | värde  | bedömning     |
      | målgruppen är definierad              | model      | target_group.size          | 320    | ingen         |
      | målgruppen har storleken noll         | model      | target_group.size          | 0      | komplettering |
      | åldrarna är omkastade                 | model      | target_group.age_min       | 6      | komplettering |
      | riskkriterier saknas                  | model      | target_group.risk_criteria | saknas | komplettering |
      | målgruppen saknas helt                | model      | target_group               | saknas | komplettering |
      | högsta ålder precis vid gränsen 25 år | model      | target_group.age_max       | 25     | ingen         |
      | högsta ålder över gränsen             | model      | target_group.age_max       | 26     | avslagsgrund  |
      | Norrköping har ingen åldersgräns      | norrkoping | target_group.age_max       | 40     | ingen         |
      | högsta ålder är inte angiven          | model      | target_group.age_max       | saknas | komplettering |

  Scenariomall: 3.5 Förebyggande eller tidig insats – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält              | värde   |
      | intervention.kind | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.5" "<bedömning>"

    Exempel:
      | fall                   | värde      | bedömning     |
      | förebyggande insats    | preventive | ingen         |
      | tidig insats           | early      | ingen         |
      | behandling             | treatment  | avslagsgrund  |
      | insatsens art är okänd | saknas     | komplettering |

  Scenariomall: 3.6 Projekttid – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält | värde  |
      | end  | <slut> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.6" "<bedömning>"

    Exempel: Projektet startar 2025-09-01; 12 månader slutar 2026-08-31 och 36 månader 2028-08-31
      | fall                    | slut       | bedömning    |
      | exakt 36 månader        | 2028-08-31 | ingen        |
      | en dag över 36 månader  | 2028-09-01 | avslagsgrund |
      | exakt 12 månader        | 2026-08-31 | ingen        |
      | en dag under 12 månader | 2026-08-30 | avslagsgrund |

  Scenariomall: 3.7 Varken befintlig verksamhet eller lagstadgad uppgift – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält   | värde   |
      | <fält> | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.7" "<bedömning>"

    Exempel:
      | fall                 | fält                           | värde  | bedömning     |
      | ny verksamhet        | intervention.existing_activity | false  | ingen         |
      | befintlig verksamhet | intervention.existing_activity | true   | avslagsgrund  |
      | lagstadgad uppgift   | intervention.statutory_duty    | true   | avslagsgrund  |
      | det är inte angivet  | intervention.statutory_duty    | saknas | komplettering |

  Scenariomall: 3.8 Kunskapsläge och förändringsteori – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                              | värde     |
      | intervention.novelty              | <metod>   |
      | intervention.evidence_level       | <evidens> |
      | intervention.established_practice | <praxis>  |
      | intervention.theory_of_change     | <teori>   |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.8" "<bedömning>"

    Exempel:
      | fall                                                 | metod       | evidens | praxis                   | teori               | bedömning     |
      | anpassad metod med evidensnivå precis vid gränsen    | adapted     | 2       | saknas                   | saknas              | ingen         |
      | anpassad metod med för låg evidensnivå               | adapted     | 1       | saknas                   | saknas              | komplettering |
      | låg evidensnivå men dokumenterad beprövad erfarenhet | adapted     | 1       | Använd i Umeå sedan 2014 | saknas              | ingen         |
      | etablerad metod utan evidensnivå                     | established | saknas  | saknas                   | saknas              | komplettering |
      | ny metod med förändringsteori                        | new         | saknas  | saknas                   | Tidigt stöd hjälper | ingen         |
      | ny metod utan förändringsteori                       | new         | saknas  | saknas                   | saknas              | komplettering |
      | metodens nyhetsgrad är inte angiven                  | saknas      | 3       | saknas                   | saknas              | komplettering |

  Scenariomall: 3.9 Fondens andel av kostnaden – <fall>
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält             | värde  |
      | budget.0.own_sek | <egen> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.9" "<bedömning>"

    Exempel: Region Gävleborg betalar högst hälften; underlaget har 400 000 kr ur fonden och 400 000 kr egna medel per år
      | fall                    | egen   | bedömning    |
      | exakt hälften           | 400000 | ingen        |
      | en krona mer än hälften | 399999 | avslagsgrund |

  Scenario: 3.9 prövas bara där ansökan har budgetrader
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält   | värde |
      | budget | []    |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.9" "ingen"
    Och klausul "3.13" ger "komplettering"

  Scenariomall: 3.10 Högsta bidrag per år – <fall>
    Givet ansökan "<underlag>"
    Och ansökan ändras så att:
      | fält              | värde    |
      | budget.1.fund_sek | <belopp> |
      | budget.1.own_sek  | <belopp> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.10" "<bedömning>"

    Exempel:
      | fall                                 | underlag  | belopp  | bedömning    |
      | precis vid Gävleborgs tak 500 000 kr | gavleborg | 500000  | ingen        |
      | en krona över taket                  | gavleborg | 500001  | avslagsgrund |
      | modellfonden har inget tak           | model     | 9000000 | ingen        |

  Scenario: 3.10 Rader för samma år räknas ihop
    Givet ansökan "gavleborg"
    Och ansökan ändras så att:
      | fält     | värde                                                           |
      | budget.+ | {year: 2026, fund_sek: 100001, own_sek: 100001, purpose: Lokal} |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.10" "avslagsgrund"

  Scenariomall: 3.10 Högsta bidrag totalt, när fonden sätter ett tak – <fall>
    Givet ansökan "lulea"
    Och fondens parameter "eligibility.max_grant_total_sek" är 3600000 från "2025-01-01"
    Och ansökan ändras så att:
      | fält              | värde    |
      | budget.0.fund_sek | <belopp> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.10" "<bedömning>"

    Exempel: Underlaget söker 4 × 900 000 kr = 3 600 000 kr
      | fall                | belopp | bedömning    |
      | precis vid taket    | 900000 | ingen        |
      | en krona över taket | 900001 | avslagsgrund |

  Scenariomall: 3.11 Undertecknad implementeringsplan – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                             | värde   |
      | implementation.signed_by_manager | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.11" "<bedömning>"

    Exempel:
      | fall              | värde  | bedömning     |
      | undertecknad      | true   | ingen         |
      | inte undertecknad | false  | komplettering |
      | det framgår inte  | saknas | komplettering |

  Scenariomall: 3.12 Budgeterad implementering – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält                     | värde |
      | implementation.from_year | <år>  |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.12" "<bedömning>"

    Exempel: Projektet slutar 2028
      | fall                       | år     | bedömning     |
      | året efter projektets slut | 2029   | ingen         |
      | två år efter               | 2030   | komplettering |
      | året är inte angivet       | saknas | komplettering |

  Scenariomall: 3.13 Ekonomisk kalkyl – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält   | värde   |
      | <fält> | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.13" "<bedömning>"

    Exempel:
      | fall                                 | fält                    | värde                                      | bedömning     |
      | kalkylen är fullständig              | economics.horizon_years | 10                                         | ingen         |
      | inga budgetrader                     | budget                  | []                                         | komplettering |
      | inga förväntade besparingar          | expected_savings        | saknas                                     | komplettering |
      | ingen kalkylränta                    | economics.discount_rate | saknas                                     | komplettering |
      | en budgetrad efter projektets slutår | budget.+                | {year: 2029, fund_sek: 100000, own_sek: 0} | komplettering |
      | en budgetrad under slutåret          | budget.+                | {year: 2028, fund_sek: 100000, own_sek: 0} | ingen         |
      | en budgetrad före startåret          | budget.0.year           | 2024                                       | komplettering |
      | en besparing före startåret          | expected_savings.0.year | 2024                                       | komplettering |
      | en besparing under startåret         | expected_savings.0.year | 2025                                       | ingen         |

  Scenariomall: 3.13 Utan krav på lönsamhet räcker budgeten – <fall>
    Givet ansökan "model"
    Och fondens parameter "economics.min_benefit_cost_ratio" är 0 från "2025-01-01"
    Och ansökan ändras så att:
      | fält   | värde   |
      | <fält> | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.13" "<bedömning>"

    Exempel: En fond som inte kräver att investeringen lönar sig (nytto-kostnadskvot minst 0)
      | fall                        | fält                    | värde  | bedömning     |
      | inga förväntade besparingar | expected_savings        | saknas | ingen         |
      | ingen kalkylränta           | economics.discount_rate | saknas | ingen         |
      | inga budgetrader            | budget                  | []     | komplettering |
      | ingen budget alls           | budget                  | saknas | komplettering |

  Scenariomall: 3.14 Förväntad lönsamhet – <fall>
    Givet ansökan "model"
    Och ansökan ändras så att:
      | fält   | värde   |
      | <fält> | <värde> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.14" "<bedömning>"

    Exempel:
      | fall                                               | fält                     | värde   | bedömning    |
      | nytto-kostnadskvoten är 1,11                       | economics.horizon_years  | 10      | ingen        |
      | mindre besparingar ger en kvot under 1             | expected_savings.2.sek   | 1000000 | avslagsgrund |
      | besparingar hos regionen räknas inte               | expected_savings.2.scope | region  | avslagsgrund |
      | prövas inte utan fullständig kalkyl (3.13)         | economics                | saknas  | ingen        |
      | prövas inte när en besparing ligger före startåret | expected_savings.0.year  | 2024    | ingen        |

  Scenariomall: 3.15 Fonden är öppen för ansökningar – <fall>
    Givet ansökan "orebro"
    Och ansökan ändras så att:
      | fält      | värde   |
      | submitted | <datum> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "3.15" "<bedömning>"

    Exempel: Örebro startar inga nya investeringar från 2023
      | fall                | datum      | bedömning    |
      | inkommen 2022-12-31 | 2022-12-31 | ingen        |
      | inkommen 2023-01-01 | 2023-01-01 | avslagsgrund |
