# Ошибки проверки, показываемые рядом с полем анкеты.
# Одно сообщение на каждый ProblemKey (core/src/validate/problems.rs); идентификаторы неизменны.

problem-iin-length = ИИН должен состоять ровно из 12 цифр.
problem-iin-not-digits = ИИН может содержать только цифры 0–9.
problem-iin-check-digit = ИИН недействителен. Сверьте его с удостоверением личности: возможно, допущена опечатка.
problem-iin-birth-date-mismatch = Дата рождения не совпадает с ИИН. Проверьте оба поля (у иностранных граждан ИИН может отличаться).
problem-iin-sex-mismatch = Пол не совпадает с ИИН. Проверьте оба поля.
problem-duplicate-member = Этот человек уже указан в составе семьи.
problem-birth-date-in-future = Дата рождения не может быть в будущем.
problem-birth-date-too-early = Дата рождения раньше 1900 года.
problem-text-empty = Поле не должно быть пустым.
problem-text-too-long = Текст слишком длинный.
problem-no-head = Отметьте одного из членов семьи как главу семьи.
problem-extra-head = Главой семьи может быть только один человек.
problem-consent-required = Перед вводом персональных данных оформите согласие на их сбор и обработку.
problem-amount-out-of-range = Сумма не может быть отрицательной или неправдоподобно большой.
problem-unknown-member = Указан человек, который не входит в состав семьи.
problem-cares-for-self = Член семьи не может быть указан как ухаживающий за самим собой.
problem-month-in-future = Этот месяц ещё не наступил.
problem-month-too-early = Месяц раньше января 2000 года.
problem-livestock-head-out-of-range = Неправдоподобно большое поголовье скота.
problem-land-area-out-of-range = Неправдоподобно большая площадь земли.
problem-vehicle-year-out-of-range = Неправдоподобный год выпуска транспортного средства.
problem-consent-expires-before-recorded = Срок действия согласия заканчивается раньше даты его оформления.
problem-rent-without-rent-tenure = Указана арендная плата, но семья не арендует жильё.
problem-no-members = Добавьте хотя бы одного члена семьи.
problem-required = Заполните это поле, чтобы завершить анкету.
problem-consent-transfer-required = Для завершения анкеты нужно действующее согласие на передачу данных в центральный реестр.
