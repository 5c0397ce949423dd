"""Amounts in Vietnamese words, as official receipts state them: 49.000.000 ₫ → "Bốn mươi chín triệu đồng".

The number is read in groups of three digits (trăm, chục, đơn vị) with the group names nghìn, triệu, tỷ; past a
thousand tỷ the names repeat ("một nghìn tỷ"). The spelling rules that make Vietnamese numbers tricky:

- after "mươi" (20 and up) a final 1 is "mốt" and a final 4 is usually "tư"; after "mười" they stay "một", "bốn";
- a final 5 after a ten ("mười", "mươi") is "lăm", but after "linh" it stays "năm" (105 = "một trăm linh năm");
- a zero ten before a non-zero unit is "linh" (northern, the default) or "lẻ" (southern);
- a group inside the number that has no hundreds still says "không trăm" (1.005.000 = "một triệu không trăm linh
  năm nghìn"), while a group that is all zeros is skipped.
"""

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", "nghìn", "triệu"]
BILLION = 10**9


def _tens_and_units(tens, units, *, after_hundreds, odd):
    if tens == 0:
        if units == 0:
            return []
        return [odd, DIGITS[units]] if after_hundreds else [DIGITS[units]]
    if tens == 1:
        words = ["mười"]
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(DIGITS[units])
        return words
    words = [DIGITS[tens], "mươi"]
    special = {1: "mốt", 4: "tư", 5: "lăm"}
    if units:
        words.append(special.get(units, DIGITS[units]))
    return words


def _group(number, *, inner, odd):
    """Words for 0 < ``number`` < 1000; ``inner`` when higher groups precede it, so its hundreds are read out."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or inner:
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_and_units(tens, units, after_hundreds=bool(words), odd=odd)
    return words


def _below_billion(number, *, inner, odd):
    """Words for 0 < ``number`` < 10⁹, groups of zeros skipped."""
    words = []
    for power in (2, 1, 0):
        group = number // 1000**power % 1000
        if group:
            words += _group(group, inner=inner or bool(words), odd=odd)
            if GROUPS[power]:
                words.append(GROUPS[power])
    return words


def _words(number, *, inner, odd):
    """Words for ``number`` > 0: what is above a tỷ is itself read as a number, then "tỷ", then the rest."""
    billions, rest = divmod(number, BILLION)
    words = []
    if billions:
        words += [*_words(billions, inner=inner, odd=odd), "tỷ"]
    if rest:
        words += _below_billion(rest, inner=inner or bool(words), odd=odd)
    return words


def number_in_words(number, *, odd="linh"):
    """A whole number in lower-case Vietnamese words: 105 → "một trăm linh năm"; negative numbers start "âm"."""
    if odd not in ("linh", "lẻ"):
        raise ValueError("odd must be 'linh' or 'lẻ'")
    number = int(number)
    if number == 0:
        return "không"
    words = _words(abs(number), inner=False, odd=odd)
    return " ".join((["âm"] if number < 0 else []) + words)


def amount_in_words(amount, *, odd="linh"):
    """An amount of đồng as a receipt writes it: capitalised, ending in "đồng"."""
    text = f"{number_in_words(amount, odd=odd)} đồng"
    return text[0].upper() + text[1:]
