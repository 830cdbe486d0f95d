# cmake -DIN=default.rules -DOUT=default_rules.c -P embed.cmake
# Writes the bytes of IN as a C array (NUL-terminated) plus its length.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE ${OUT} "/* Generated from rules/default.rules by embed.cmake: do not edit. */\n"
    "#include <stddef.h>\n"
    "extern const unsigned char emb_check_default_rules[];\n"
    "extern const size_t emb_check_default_rules_len;\n"
    "const unsigned char emb_check_default_rules[] = {\n${body}0x00 };\n"
    "const size_t emb_check_default_rules_len = ${len};\n")
