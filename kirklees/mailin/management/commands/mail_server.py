import threading

from django.core.management.base import BaseCommand

from kirklees.mailin.smtp import smtp_controller


class Command(BaseCommand):
    help = "Run the local SMTP server (loopback only) that delivers replies into the app."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, host, port, **options):
        controller = smtp_controller(host=host, port=port)
        controller.start()
        self.stdout.write(f"Taking email in on smtp://{host}:{port} (Ctrl-C to stop)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
