from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments import permissions
from assessments.dataops import transfer, transfer_import


class Command(BaseCommand):
    help = (
        "Recreate a project from a file written by export_project, on behalf of the administrator "
        "named with --as: the file's council must be one they administer, exactly as on the import "
        "page. Reference data must already be loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        # Shell access is not a permission: the import is checked as this person's, never as a
        # superuser's by default.
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="Username of the council (or system) administrator doing the import",
        )

    def handle(self, *args, file, username, **options):
        User = get_user_model()
        user = User._default_manager.filter(
            is_active=True, **{User.USERNAME_FIELD: username}
        ).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r} on this instance.")
        if not permissions.can_import_projects(user):
            raise CommandError(f"{username} administers no council, so may not import projects.")
        try:
            with open(file, "rb") as fh:
                data = fh.read(transfer_import.MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        try:
            project = transfer_import.import_project(transfer_import.read_document(data), user=user)
        except transfer.TransferError as exc:
            lines = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(f"Nothing was imported. Problems with the file:\n{lines}") from None
        self.stdout.write(f"Imported {project} as project {project.pk}.")
