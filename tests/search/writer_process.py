"""A separate process that writes AL projects, for the reliability tests.

python -m tests.search.writer_process DATABASE_URL INDEX_DIR UPLOAD_DIR MODE COUNT [PROJECT_ID]
MODE "die-after-commit": create one project, then SIGKILL itself before indexing.
MODE "rename": rename project PROJECT_ID COUNT times, committing (and draining) each time.
"""

import os
import signal
import sys

from network import create_app
from network.db import db
from network.projects import service


def main() -> None:
    url, index_dir, upload_dir, mode, count = sys.argv[1:6]
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SEARCH_INDEX_DIR": index_dir, "UPLOAD_DIR": upload_dir}
    )
    with app.app_context():
        from network.members.models import Member

        member = db.session.scalars(db.select(Member).order_by(Member.id)).first()
        if mode == "die-after-commit":
            from network.search import service as search

            search.drain_quietly = lambda timeout: os.kill(os.getpid(), signal.SIGKILL)
            service.create_project(member, service.ProjectDraft(title="Overlevede et nedbrud"))
            db.session.commit()
            return
        project_id = int(sys.argv[6])
        member_id = member.id
        for n in range(int(count)):
            member = db.session.get(Member, member_id)
            project = service.get_project(project_id)
            draft = service.ProjectDraft(title=f"{os.getpid()} version {n}", school_id=project.school_id)
            service.update_project(member, project, draft)
            db.session.commit()
            db.session.remove()


if __name__ == "__main__":
    main()
