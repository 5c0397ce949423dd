"""COPY's text for a column: values escaped where they must be, and the same text whether converted once or each."""

import datetime

from relief.bulk import NULL, _copy_column

AUGUST = datetime.datetime(2021, 8, 1, 7, 30, tzinfo=datetime.UTC)


def test_a_column_of_plain_text_is_sent_as_it_is():
    assert _copy_column(("Nguyễn Văn An", "12 Trần Hưng Đạo")) == ["Nguyễn Văn An", "12 Trần Hưng Đạo"]


def test_a_column_with_one_tab_newline_or_backslash_has_each_escaped_and_the_rest_unchanged():
    column = ("Lê Văn\tAn", "dòng 1\ndòng 2", "a\\b", "\\N", "bình thường", "cr\r")
    assert _copy_column(column) == ["Lê Văn\\tAn", "dòng 1\\ndòng 2", "a\\\\b", "\\\\N", "bình thường", "cr\\r"]


def test_a_column_stamped_with_one_time_and_one_with_several_are_both_written_in_full():
    later = AUGUST + datetime.timedelta(days=1)
    assert _copy_column((AUGUST,) * 3) == ["2021-08-01T07:30:00+00:00"] * 3
    assert _copy_column((AUGUST, later)) == ["2021-08-01T07:30:00+00:00", "2021-08-02T07:30:00+00:00"]


def test_a_column_of_mixed_values_and_one_of_nulls_become_copy_text():
    assert _copy_column((1, None, "x", True)) == ["1", NULL, "x", "t"]
    assert _copy_column((None, None)) == [NULL, NULL]
