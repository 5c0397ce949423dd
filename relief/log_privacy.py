"""Personal numbers kept out of the logs.

A CCCD (12 digits), an old CMND (9) or a phone number (10) typed into a search travels in the URL, and Django's
request and development-server loggers write URLs: a 404's path, the development server's request line with its
query string. No figure the app logs on purpose is that long, so any run of 9 or more digits is masked.
"""

import logging
import re

LONG_NUMBER = re.compile(r"\d{9,}")


def mask_long_numbers(text):
    """``text`` with every run of 9 or more digits replaced by as many asterisks."""
    return LONG_NUMBER.sub(lambda match: "*" * len(match.group()), text)


class MaskLongNumbers(logging.Filter):
    """Rewrite a record's message with its long numbers masked, before any handler or formatter sees it.

    Set on the loggers that make the records (not on a handler), so every handler they reach, Django's own
    included, receives the masked text.
    """

    def filter(self, record):
        message = record.getMessage()
        masked = mask_long_numbers(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
