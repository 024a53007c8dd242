from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class UploadSizeLimit(FileUploadHandler):
    """Stops keeping an uploaded file once it passes `limit` bytes, and remembers that it did.

    Put first in request.upload_handlers, it drops the file (SkipFile) at the chunk that crosses
    the limit: the rest of the request is read past and thrown away, never held in memory or on
    disk, and the other form fields still arrive, so the view can answer with a proper page
    saying the file is too big (instead of a 400 or a reset connection).
    """

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_big = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
