BBBBBBB BBBBBBBBBBBBBBB BBBB BBBBBBBBBBBBBBBBB
BBBBB BBBBB gettext(u'Enkät') BBBBBBBB
BBBBB BBBBBBB
XXX XXXXXXXXXXX gettext(u'Tre korta frågor') XXXXX
XXXBB BBBBB BB BBBBBBBBBBBBBBBBBB gettext(u'Inför uppföljningen av %(meeting)s.') SSSSS SSSSSSSSSSSSS SS SSSSSSSSSSSSBBBB gettext(u'Efter %(meeting)s.') SSSSS SSSSSSSSSSSSBBBBBXXXX
XXX gettext(u'Enkäten är anonym. Svaren sparas bara tillsammans med mötet, inte med ditt namn eller din e-post. Länken kan användas en gång.') XXXX
XXXX XXXXXXXXXXXXXXXXXBBBBBB BBBBXXXXXX
BBBBBBBB
