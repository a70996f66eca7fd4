# language: sv
Egenskap: Återföring – realiserade besparingar går tillbaka till fonden (riktlinjerna avsnitt 5)
  Där fonden har återföring ska varje nämnd som väntas spara åta sig att återföra en andel.
  Norrköping avskaffade återföringen för ansökningar från 2022; Luleå och Gävleborg har ingen.

  Scenariomall: 5.1 Åtagande om återföring – <fall>
    Givet ansökan "<underlag>"
    Och ansökan ändras så att:
      | fält      | värde       |
      | repayment | <åtaganden> |
      | submitted | <inkom>     |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "5.1" "<bedömning>"

    Exempel:
      | fall                                           | underlag   | åtaganden                                                                         | inkom      | bedömning     |
      | båda nämnderna har åtagit sig återföring       | model      | [{committee: Socialnämnden, share: 0.75}, {committee: Förskolenämnden, share: 0.5}] | 2025-03-03 | ingen         |
      | Förskolenämnden saknar åtagande                | model      | [{committee: Socialnämnden, share: 0.75}]                                          | 2025-03-03 | komplettering |
      | åtaganden är inte angivna                      | model      | saknas                                                                            | 2025-03-03 | komplettering |
      | Norrköping, inkommen 2021-12-31: med återföring | norrkoping | saknas                                                                            | 2021-12-31 | komplettering |
      | Norrköping, inkommen 2022-01-01: utan          | norrkoping | saknas                                                                            | 2022-01-01 | ingen         |
      | Luleå har ingen återföring                     | lulea      | saknas                                                                            | 2025-03-03 | ingen         |

  Scenariomall: 5.2 Andel som återförs – <fall>
    Givet ansökan "<underlag>"
    Och ansökan ändras så att:
      | fält      | värde                                                                                   |
      | repayment | [{committee: Socialnämnden, share: <andel>}, {committee: Förskolenämnden, share: <andel>}] |
      | submitted | <inkom>                                                                                 |
    När fonden beslutar den "2025-06-01"
    Så ger klausul "5.2" "<bedömning>"

    Exempel: Modellen kräver minst hälften; Norrköping krävde fram till 2021 hela besparingen
      | fall                                   | underlag   | andel  | inkom      | bedömning     |
      | precis hälften                         | model      | 0.5    | 2025-03-03 | ingen         |
      | under hälften                          | model      | 0.49   | 2025-03-03 | komplettering |
      | andelen är inte angiven                | model      | null   | 2025-03-03 | komplettering |
      | hälften räcker inte i Norrköping 2021  | norrkoping | 0.5    | 2021-12-31 | komplettering |
      | hela besparingen i Norrköping 2021     | norrkoping | 1.0    | 2021-12-31 | ingen         |
