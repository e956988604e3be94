BBBBBBB BBBBBBBBBBBBBBB BBBB
BBBBB BBBBB gettext(u'Tack för dina svar') BBBBBBBB
BBBBB BBBBBBB
XXX XXXXXXXXXXXBB BBBBBBB gettext(u'Enkäten är redan besvarad') BBBB gettext(u'Tack för dina svar') BBBBBXXXXX
XXXBB BBBBBBB gettext(u'Den här länken har redan använts. Varje länk kan användas en gång.') BBBB gettext(u'Svaren hjälper arbetsgruppen att se om arbetet gör skillnad.') BBBBBXXXX
XXXXX XXXXXXBBB BBBBBBXX gettext(u'Till startsidan') XXXXXXXX
BBBBBBBB
