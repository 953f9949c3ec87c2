"""Fix 14: the ASL preprocessor's query-language scope is shared by every parse.

moto bug: `Preprocessor._query_language_per_scope` is a class attribute (one list for the whole
process), and the server is threaded. Two definitions parsed at the same time — say a JSONPath
one and a JSONata one created or updated concurrently, as a promote that repoints state
machines in parallel does — push and pop each other's scopes, and one fails at random with
`Unsupported declaration in QueryLanguage=JSONPath block: "ItemsPath"` (a 400 whose __type is
null). Seen: 71 of 160 concurrent mixed creates failed.

Fix: every Preprocessor gets its own scope list.
"""

from typing import Any

from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

_original_init = Preprocessor.__init__


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    self._query_language_per_scope = []


def apply() -> None:
    Preprocessor.__init__ = _init
