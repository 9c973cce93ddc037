# Type stub of the declx package (the functions are in __init__.py, the
# extraction in the _declx extension).
import os
from decimal import Decimal
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

import pyarrow

__version__: str
CHUNK: int
VALUE_PRECISION: int
VALUE_SCALE: int

PathLike = Union[str, os.PathLike[str]]
Paths = Union[PathLike, Iterable[PathLike]]
Vocab = Optional[Union[PathLike, Sequence[PathLike]]]

#: A record as in the JSON schema (``declx schema``): amounts and target
#: values are Decimal, ``schema_version`` and ``year`` int.
Record = Dict[str, Any]

class ExtractError(Exception):
    path: str
    code: Optional[str]
    def __init__(self, message: str, path: str, code: Optional[str]) -> None: ...

class Records(List[Record]):
    report: Dict[str, Any]

class RecordIterator(Iterator[Record]):
    def __iter__(self) -> RecordIterator: ...
    def __next__(self) -> Record: ...
    @property
    def report(self) -> Dict[str, Any]: ...

def extract(paths: Paths, *, jobs: Optional[int] = ..., vocab: Vocab = ..., errors: str = ...) -> Records: ...
def iter_records(paths: Paths, *, jobs: Optional[int] = ..., vocab: Vocab = ..., errors: str = ...) -> RecordIterator: ...
def extract_bytes(name: str, data: bytes, *, vocab: Vocab = ...) -> List[Record]: ...
def indicators(paths: Paths, *, jobs: Optional[int] = ..., vocab: Vocab = ..., errors: str = ...) -> pyarrow.Table: ...
