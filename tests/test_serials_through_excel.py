"""The shared rule on what Excel leaves of a serial (reuse.serials.excel_rewrite), over every number a workbook
cell can hold. Excel keeps 15 significant digits (Microsoft's « Excel specifications and limits »: « Number
precision: 15 digits »): a whole number below 10**15 comes back exact and is a serial like any other; from
10**15 up its last digits are lost, and the cell must read as what Excel shows, which the rule refuses."""

from hypothesis import given
from hypothesis import strategies as st

from reuse.serials import excel_rewrite, short_of_zeros
from reuse.workbooks import cell_text


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_a_number_excel_keeps_whole_reads_back_as_its_digits_and_is_not_refused(number):
    text = cell_text(float(number))
    assert text == str(number)
    assert excel_rewrite(text) == ""


@given(st.integers(min_value=10**15, max_value=10**25))
def test_a_number_past_excels_precision_is_never_read_as_digits_it_did_not_keep(number):
    assert excel_rewrite(cell_text(float(number))) == "scientific"


@given(st.integers(min_value=10**11, max_value=10**20), st.sampled_from([",", "."]))
def test_what_excel_shows_of_a_long_number_in_a_csv_is_refused(number, decimal):
    # A General cell shows six significant digits: 1,23457E+11 in French, 1.23457E+11 in English.
    shown = f"{number:.5E}".replace(".", decimal).replace("E+0", "E+")
    assert excel_rewrite(shown) == "scientific"


@given(st.from_regex(r"[A-Z]{1,4}[0-9A-Z]{4,12}", fullmatch=True))
def test_a_serial_with_letters_is_never_taken_for_what_excel_wrote(serial):
    assert excel_rewrite(serial) == ""


@given(st.lists(st.from_regex(r"0[0-9]{11}", fullmatch=True), min_size=3, max_size=20, unique=True))
def test_only_the_digit_serials_shorter_than_the_files_others_are_warned(serials):
    stripped = serials[0].lstrip("0") or "0"
    assert short_of_zeros([*serials[1:], stripped, "PF1ABCDE"]) == {stripped: 12}
    assert short_of_zeros(serials) == {}


def test_a_serial_with_an_e_between_digits_is_no_scientific_notation_excel_always_signs_its_exponent():
    assert excel_rewrite("12E3456789") == ""
    assert excel_rewrite("1,23457E+11") == excel_rewrite("8.93315031912346E+18") == "scientific"
