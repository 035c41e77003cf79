from django.db import models


class FormCode(models.TextChoices):
    """The forms of mentorship: the four of seed 003 and two more of DESIGN.md."""

    STUDENT_STUDENT = "student_student", "Ученик – ученик"
    TEACHER_TEACHER = "teacher_teacher", "Учитель – учитель"
    UNDERGRADUATE_STUDENT = "undergraduate_student", "Студент – ученик"
    EMPLOYER_STUDENT = "employer_student", "Работодатель – ученик"
    EMPLOYER_UNDERGRADUATE = "employer_undergraduate", "Работодатель – студент"
    UNDERGRADUATE_UNDERGRADUATE = "undergraduate_undergraduate", "Студент – студент"


#: The four forms of the coverage form, in its order (seed 003).
COVERAGE_FORMS = (
    FormCode.STUDENT_STUDENT,
    FormCode.TEACHER_TEACHER,
    FormCode.UNDERGRADUATE_STUDENT,
    FormCode.EMPLOYER_STUDENT,
)
