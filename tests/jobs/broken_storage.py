from django.core.files.storage import FileSystemStorage


class BrokenStorage(FileSystemStorage):
    """A storage whose disk is full: what a job meets when it cannot keep its file."""

    def _save(self, name, content):
        raise OSError(28, "No space left on device")
