"""A separate web process that uploads one report, for the killed-upload test.

python -m tests.projects.upload_process DATABASE_URL UPLOAD_DIR INDEX_DIR PROJECT_ID PDF_PATH
"""

import sys
from pathlib import Path

from network import create_app
from network.db import db


def main() -> None:
    url, upload_dir, index_dir, project_id, pdf_path = sys.argv[1:6]
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "UPLOAD_DIR": upload_dir,
            "SEARCH_INDEX_DIR": index_dir,
            "EXTRACTION_TIMEOUT_SECONDS": 120,
        }
    )
    with app.app_context():
        from network.projects import attachments, service

        project = service.get_project(int(project_id))
        attachments.add_attachment(project.created_by, project, "rapport.pdf", Path(pdf_path).read_bytes())
        db.session.commit()


if __name__ == "__main__":
    main()
