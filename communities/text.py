"""Text that XML can carry: the feed and the XLSX export are XML, and a need's text is often pasted from Word."""

import re

# Everything XML 1.0 refuses (https://www.w3.org/TR/xml/#charsets): the C0 controls but tab and
# the line ends, lone surrogates, and U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Word's manual line break (vertical tab) and page break (form feed) still mean a new line.
_WORD_BREAKS = re.compile("[\x0b\x0c]")


def xml_safe(text):
    return _NOT_IN_XML.sub("", _WORD_BREAKS.sub("\n", text))
