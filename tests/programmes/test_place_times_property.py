"""Hypothesis over every département and moment: a time written for a place and typed back there is the same
instant (reuse.places), and a phone number or postcode kept in its one form stays it when read again."""

import datetime

from django import forms
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reuse import places
from reuse.accounts.validators import normalise_phone, normalise_postcode
from reuse.programmes.departments import DEPARTMENTS

moments = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1),
    max_value=datetime.datetime(2035, 12, 31),
    timezones=st.just(datetime.UTC),
)


@settings(max_examples=300, deadline=None)
@given(moment=moments, code=st.sampled_from(sorted(DEPARTMENTS)))
def test_a_time_shown_for_a_place_and_typed_back_there_is_the_same_instant(moment, code):
    moment = moment.replace(second=0, microsecond=0)
    shown = places.at_place(moment, code)
    zone = places.zone_of(code)
    typed = shown.replace(tzinfo=None)
    # The hour Paris (or Miquelon) lives twice when it leaves summer time names two instants: no form can tell.
    assume(typed.replace(tzinfo=zone, fold=0).utcoffset() == typed.replace(tzinfo=zone, fold=1).utcoffset())
    with places.typed_at(
        code
    ):  # what a person reads, then types in a form of that place, as the views read it
        read = forms.DateTimeField().clean(typed.strftime("%Y-%m-%d %H:%M"))
    assert read == moment
    assert f"{shown:%H:%M}" in places.when_at(moment, code)


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.sampled_from(["01", "06", "07", "09", "0262", "0269", "0590", "0594", "0596", "0692", "0639"]),
    rest=st.text(alphabet="0123456789", min_size=10, max_size=10),
    glue=st.sampled_from([" ", ".", "-", "\u00a0", "\u2011", "–", ""]),
)
def test_a_number_kept_in_its_one_form_stays_it(prefix, rest, glue):
    digits = (prefix + rest)[:10]
    typed = glue.join(digits[i : i + 2] for i in range(0, 10, 2))
    stored = normalise_phone(typed)
    assert stored.replace(" ", "") == digits
    assert normalise_phone(stored) == stored


@given(code=st.text(alphabet="0123456789", min_size=5, max_size=5), glue=st.sampled_from(["", " ", "\u00a0"]))
def test_a_postcode_kept_in_its_one_form_stays_it(code, glue):
    typed = f"{glue}{code[:2]}{glue}{code[2:]}{glue}"
    assert normalise_postcode(typed) == code == normalise_postcode(code)
