"""Typed errors that map to exit codes (numbers shared with OCRmyPDF keep their meaning)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    bad_args = 1
    input_file = 2
    missing_dependency = 3
    stage_failed = 4
    partial = 5
    not_a_document = 6
    wrong_language = 7
    other_error = 15
    ctrl_c = 130


class PipelineError(Exception):
    exit_code = ExitCode.other_error


class ConfigError(PipelineError):
    exit_code = ExitCode.bad_args


class ResumeError(PipelineError):
    """A Document cannot go on from where it was saved."""

    exit_code = ExitCode.bad_args


class InputFileError(PipelineError):
    """Unreadable, encrypted, empty or oversized input."""

    exit_code = ExitCode.input_file


class MissingDependencyError(PipelineError):
    exit_code = ExitCode.missing_dependency


class NotADocumentError(PipelineError):
    """The input holds no readable text (a photo, a blank page)."""

    exit_code = ExitCode.not_a_document


class WrongLanguageError(PipelineError):
    """The input has text, but it is not Vietnamese."""

    exit_code = ExitCode.wrong_language


class StageError(PipelineError):
    """An unexpected failure inside a stage, raised ``from`` the original exception."""

    exit_code = ExitCode.stage_failed

    def __init__(self, stage: str, doc_id: str, cause: BaseException):
        super().__init__(f"stage '{stage}' failed on {doc_id}: {type(cause).__name__}: {cause}")
        self.stage = stage
        self.doc_id = doc_id
