# language: sv
Egenskap: Örebros fond för sociala investeringar
  Örebro kräver samverkan över sektorsgränser (O1) och att varje krona går till en angiven
  aktivitet, inte ett allmänt ramtillskott (O2). Från 2023 startar inga nya investeringar.

  Scenariomall: O1 Samverkan över sektorsgränser – <fall>
    Givet ansökan "orebro"
    Och ansökan ändras så att:
      | fält               | värde      |
      | applicant.partners | <partners> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "O1" "<bedömning>"

    Exempel: Huvudsökande är Socialnämnden (social sektor)
      | fall                                              | partners                                                                                                | bedömning     |
      | en nämnd inom utbildning                          | [{name: Förskolenämnden, kind: municipal, sector: education}]                                            | ingen         |
      | två nämnder inom samma sektor                     | [{name: Äldrenämnden, kind: municipal, sector: social}]                                                  | avslagsgrund  |
      | samma sektor men med en idéburen partner          | [{name: Äldrenämnden, kind: municipal, sector: social}, {name: Föreningen, kind: civil_society, non_profit: true}] | ingen  |
      | nämndens sektor är inte angiven                   | [{name: Förskolenämnden, kind: municipal}]                                                               | komplettering |

  Scenariomall: O2 Inget allmänt ramtillskott – <fall>
    Givet ansökan "orebro"
    Och ansökan ändras så att:
      | fält             | värde   |
      | budget.2.purpose | <syfte> |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "O2" "<bedömning>"

    Exempel:
      | fall                               | syfte                 | bedömning     |
      | varje budgetrad anger aktiviteten  | Två familjebehandlare | ingen         |
      | en budgetrad saknar syfte          | saknas                | komplettering |

  Scenario: Örebro tar inte emot ansökningar från 2023
    Givet ansökan "orebro"
    Och ansökan ändras så att:
      | fält      | värde      |
      | submitted | 2023-01-01 |
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "avslag"
    Och klausul "3.15" ger "avslagsgrund"
