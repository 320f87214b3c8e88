"""URL converters that accept only what can be a date, so /dates/99999/ is a 404, not a 500."""


class Year:
    regex = "[1-9][0-9]{0,3}"  # 1 … 9999: what datetime.date takes

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class Month(Year):
    regex = "0?[1-9]|1[0-2]"


class Day(Year):
    regex = "0?[1-9]|[12][0-9]|3[01]"
